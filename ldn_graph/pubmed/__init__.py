"""PubMed: the E-utilities client (``eutils``), parsing (``parse``), retrieval
(``retrieve``, ``resolve``, ``expand``) and the record cache (``cache``)."""
