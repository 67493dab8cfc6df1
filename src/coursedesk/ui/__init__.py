"""The windows, views and item models of CourseDesk."""
