"""CourseDesk: build video courses offline and upload them to Backblaze B2 in the background."""

__version__ = "0.1.0"
