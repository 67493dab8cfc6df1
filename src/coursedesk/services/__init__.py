"""Background work: import (ingest) and upload."""
