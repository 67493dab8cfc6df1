"""Plain-Python heart of CourseDesk: courses, chapters, videos, and the store that holds them.

No Qt, no SQL: the views, the database and the services all build on this layer.
"""
