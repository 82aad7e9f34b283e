"""The NCBI E-utilities client: ``client`` (requests, retries, efetch), ``search``
(esearch), ``links`` (elink, ecitmatch), ``replies`` (reply checks), ``ratelimit``
(the limit shared across processes), ``biopython`` (the only user of Bio.Entrez
internals) and ``api`` (the ``Client`` protocol and the results)."""
