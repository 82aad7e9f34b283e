"""PubMed retrieval (``entrez``), parsing (``parse``) and the record cache (``cache``)."""
