"""Server-rendered web pages: the supervisee portal (English and Welsh, GOV.UK styles)."""
