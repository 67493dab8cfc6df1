"""Importing files an instructor drops in: planning the drop, default titles, and (later)
probing, hashing and thumbnails. Plain functions, tested without Qt; the GUI runs them on a
worker and applies the results to the store."""
