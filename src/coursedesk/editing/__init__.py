"""Undoable edits: every change an instructor makes goes through a course's QUndoStack."""
