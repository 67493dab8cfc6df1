"""Background uploads to Backblaze B2: account, gateway, journal-backed queue and workers."""
