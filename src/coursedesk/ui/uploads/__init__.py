"""The upload feature's window side: storage settings, the Uploads panel, progress in views."""
