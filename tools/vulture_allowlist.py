"""Names vulture (``make lint``) must not report as dead code.

Each is used, but not by a call vulture can see: from outside the package (the public
API), by a framework that calls it by name, or as a data field read through
``dataclasses.asdict``. Vulture only reads this file; ``_`` lets it run too. Nothing is
imported here on purpose: an import would hide a dead name elsewhere. Delete an entry with
the name it keeps. Click commands (``@*.command``), pytest fixtures and hooks, and the
closed sets of ``ldn_graph/terms.py`` are excluded in ``[tool.vulture]`` of pyproject.toml.
"""


class _Any:
    def __getattr__(self, name: str) -> object:
        return self


_ = _Any()

# The public API of ldn_graph/__init__.py: a lazy module (PEP 562) and its names.
_.__getattr__
_.__dir__
_.audit
_.audit_text
_.AuditOptions
_.AuditResult
_.load_vocabulary
_.RecordCache

# Model fields: parsed from PubMed XML, stored in the cache and exported, read through
# dataclasses.asdict / to_dict, never by attribute.
_.major  # MeshHeading.major, Qualifier.major
_.registry_number  # Chemical.registry_number
_.other_abstracts  # Study.other_abstracts

# Standard-library protocols: methods and attributes called by name.
_.handler_order  # urllib.request.BaseHandler
_.https_request  # urllib.request.BaseHandler
_.http_open  # urllib.request.BaseHandler
_.https_open  # urllib.request.BaseHandler
_.http_error_301  # urllib.request.HTTPRedirectHandler
_.http_error_303  # urllib.request.HTTPRedirectHandler
_.http_error_307  # urllib.request.HTTPRedirectHandler
_.http_error_308  # urllib.request.HTTPRedirectHandler
_.readable  # io.RawIOBase
_.readinto  # io.RawIOBase
_.seekable  # io.RawIOBase (tests)
_.isatty  # a stream (tests)
_.server_version  # http.server.BaseHTTPRequestHandler (tests)
_.protocol_version  # http.server.BaseHTTPRequestHandler (tests)
_.close_connection  # http.server.BaseHTTPRequestHandler (tests)
_.daemon_threads  # socketserver.ThreadingMixIn (tests)
_.allow_reuse_address  # socketserver.TCPServer (tests)
_.__doc__  # rdf/export.py sets a generated docstring

# Attributes set on third-party objects.
_.email  # Bio.Entrez.email (bench)
_.api_key  # Bio.Entrez.api_key (bench)
_.superscript  # python-docx Font.superscript (tests)

# Library API beyond ldn_graph/__init__.py, used by researchers and by the tests.
_.put  # RecordCache.put: store one record (put_many is the batch form)
_.get_raw  # RecordCache.get_raw: the record's PubMed XML as fetched
_.ontology_graph  # ontology.turtle: the schema as an rdflib Graph (SHACL, reasoning)
_.shapes_graph  # ontology.turtle: the SHACL shapes as an rdflib Graph
_.build_rdf  # rdf.triples: an audit as an rdflib Graph
_.records_rdf  # rdf.triples: cached records as an rdflib Graph
_.neutral_publication_types  # LevelRules: loaded so a level file's neutral types are checked
_.format_commands  # click.Group hook: the lazy group writes the command list itself
_.unwrap_lines  # read.pdf: PDF line joining on plain lines, without positions (the PDF tests)
_.footer  # fpdf.FPDF hook: the running footer of a page (tests)
_.trained_on  # SentenceModel: the documents it learned from (the test checks none is a test document)
_.idf_  # TfidfVectorizer.idf_: set to rebuild a trained vectorizer (tests)
