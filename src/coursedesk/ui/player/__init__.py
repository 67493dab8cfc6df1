"""Watching videos in the editor: the player pane, quick look and hover scrubbing.

QtMultimedia is only imported once ``availability`` says it loads, so importing this package
never fails on a system without audio libraries; ``create_player_pane`` then returns a pane
that says why preview is unavailable.
"""
