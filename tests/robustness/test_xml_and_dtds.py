"""Items 12-18 and 24 (XML side): DTDs, external entities, entity bombs, bad encodings.

XML reaches ldn-graph three ways: efetch/esearch replies (network), stored records
(cache) and ``cache import`` of local files. None may resolve an external entity, fetch
a DTD, or expand an entity bomb. Every DTD or entity URL used here points at a loopback
server that records requests: the assertion is that it saw none.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import urllib.request
import zlib
from collections.abc import Iterator
from pathlib import Path

import Bio.Entrez
import pytest
from cli_helpers import cli, console_script, python_env
from entrez_helpers import FastEntrez
from entrez_helpers import make_client as client
from eutils_server import EutilsServer, Fault
from robust_helpers import (
    EUTILS,
    SECRET_TEXT,
    billion_laughs,
    citing_page,
    files_under,
    synthetic_article,
)

from ldn_graph.errors import FetchError, InputError
from ldn_graph.pubmed.cache import RecordCache
from ldn_graph.pubmed.eutils.biopython import clear_schema_cache
from ldn_graph.pubmed.parse import iter_records, parse_study_xml

NCBI_DTD_URL = "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd"
HTML_PAGE = (b"<!DOCTYPE html><html><head><title>Error</title></head>"
             b"<body><h1>Temporarily unavailable</h1></body></html>\n")


def efetch_reply(server: EutilsServer, pmids: str) -> bytes:
    """The stand-in's own efetch reply for ``pmids`` (recorded records), for editing."""
    url = f"{server.url}efetch.fcgi?db=pubmed&retmode=xml&id={pmids}"
    with urllib.request.urlopen(url, timeout=10) as reply:
        body = reply.read()
    server.clear_log()
    return bytes(body)


def esearch_reply(dtd_url: str) -> bytes:
    """The recorded esearch8.xml reply, its DOCTYPE naming ``dtd_url`` (synthetic edit)."""
    recorded = (EUTILS / "esearch8.xml").read_bytes()
    old = b"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd"
    assert old in recorded
    return recorded.replace(old, dtd_url.encode())


def dtd_requests(server: EutilsServer) -> list[str]:
    return [r.path for r in server.log if r.path.endswith((".dtd", ".ent", ".mod", ".xsd"))]


def schema_folder() -> Path:
    return Path(str(Bio.Entrez.local_cache)) / "Bio" / "Entrez" / "DTDs"


# ------------------------------------------------------------------------- item 12


def test_item_12_pubmed_xml_naming_an_unknown_dtd_is_read_with_no_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fast_entrez: FastEntrez
) -> None:
    dtd = b'<!ELEMENT PubmedArticleSet ANY>\n<!ENTITY x "SERVED-BY-THE-DTD-SERVER">\n'
    with EutilsServer(dtds={"pubmed_990101.dtd": (200, dtd)}) as server:
        monkeypatch.setenv("LDN_GRAPH_EUTILS_URL", server.url)
        body = efetch_reply(server, "9997,12091962")
        # the DTD named on the stand-in itself, and under the NCBI URL our routing redirects
        for n, url in enumerate([f"{server.url}dtd/pubmed_990101.dtd",
                                 "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/dtd/"
                                 "pubmed_990101.dtd"]):
            server.add_fault("efetch", Fault("body", body=body.replace(NCBI_DTD_URL.encode(),
                                                                       url.encode())))
            cache_dir = tmp_path / f"cache{n}"
            result = cli("fetch", "9997", "12091962", "--cache-dir", cache_dir)
            assert result.exit_code == 0, result.stderr
            with RecordCache(cache_dir, seed=None) as cache:
                record = cache.get("9997")
                assert record is not None and record.provenance.source == "pubmed_990101.dtd"
        assert dtd_requests(server) == []
    # and a local file naming the NCBI URL of that DTD imports offline
    local = tmp_path / "pubmed_990101_synthetic.xml"
    local.write_bytes(body.replace(b"pubmed_250101", b"pubmed_990101"))
    imported = cli("cache", "import", local, "--cache-dir", tmp_path / "cache-import")
    assert imported.exit_code == 0 and "imported 2 record(s)" in imported.stdout


def test_item_12_unknown_dtd_in_a_biopython_reply_names_it_and_where_to_put_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = "esearch_990101.dtd"
    with EutilsServer(dtds={name: (200, (Path(Bio.Entrez.__file__).parent / "DTDs" /
                                         "esearch.dtd").read_bytes())}) as server:
        monkeypatch.setenv("LDN_GRAPH_EUTILS_URL", server.url)
        server.add_fault("esearch", Fault("body", body=esearch_reply(
            f"https://eutils.ncbi.nlm.nih.gov/entrez/eutils/dtd/{name}")), times=2)
        c, _ = client()
        folder = c.schema_dir / "Bio" / "Entrez" / "DTDs"
        with pytest.raises(FetchError) as info:
            c.esearch("abcXYZ")
        message = str(info.value)
        assert name in message and str(folder) in message and "\n" not in message
        assert len(server.requests("esearch")) == 1  # not retried: it would fail again
        assert dtd_requests(server) == []
        # doing what the message says fixes it, still without any download
        shutil.copy(Path(Bio.Entrez.__file__).parent / "DTDs" / "esearch.dtd", folder / name)
        try:
            assert c.esearch("abcXYZ").count == 0
        finally:
            (folder / name).unlink()
        assert dtd_requests(server) == []


# ------------------------------------------------------------------------- item 13


@pytest.fixture
def ncbi_reachable(eutils_env: EutilsServer) -> Iterator[EutilsServer]:
    """Plain ``urllib.request.urlopen`` (what Biopython calls when nobody routes it) reaches
    the stand-in for NCBI URLs, as it would reach NCBI online; restored afterwards."""
    from ldn_graph.pubmed.eutils.biopython import EutilsRedirectHandler

    urllib.request.install_opener(urllib.request.build_opener(
        EutilsRedirectHandler(eutils_env.url, 5.0), urllib.request.ProxyHandler({})))
    try:
        yield eutils_env
    finally:
        urllib.request.install_opener(None)  # type: ignore[arg-type]


def test_item_13_a_dtd_answered_with_html_is_never_requested_nor_saved(
    ncbi_reachable: EutilsServer,
) -> None:
    server = ncbi_reachable
    name = "esearch_990102.dtd"
    server.dtds[name] = (200, HTML_PAGE)
    # a DTD URL that would reach the stand-in if Biopython were ever let to download it
    reply = esearch_reply(f"https://eutils.ncbi.nlm.nih.gov/entrez/eutils/dtd/{name}")
    server.add_fault("esearch", Fault("body", body=reply), times=2)
    c, _ = client()
    for _ in range(2):  # the second parse fails the same clear way, not with NotXMLError
        with pytest.raises(FetchError, match=name):
            c.esearch("abcXYZ")
    assert dtd_requests(server) == []
    assert not (schema_folder() / name).exists()


def test_item_13_a_poisoned_schema_cache_is_cleaned_and_can_be_cleared(
    eutils_env: EutilsServer,
) -> None:
    client()  # make sure Biopython's cache folder is ours and exists
    poisoned = schema_folder() / "esearch.dtd"  # shadows the DTD Biopython ships
    assert not poisoned.exists()
    poisoned.write_bytes(HTML_PAGE)
    try:
        c, _ = client()  # creating a client drops files that cannot be schemas
        assert not poisoned.exists()
        assert c.esearch("abcXYZ").count == 0
    finally:
        poisoned.unlink(missing_ok=True)
    keep = schema_folder() / "synthetic_990103.dtd"
    keep.write_bytes(b"<!ELEMENT x ANY>\n")
    assert clear_schema_cache() >= 1 and not keep.exists()


# ------------------------------------------------------------------------- item 14


def test_item_14_an_unwritable_home_does_not_matter(
    eutils_env: EutilsServer, tmp_path: Path
) -> None:
    home = tmp_path / "home-is-a-file"
    home.write_text("not a folder: nothing can be created under it")
    env = dict(os.environ)
    env.update(HOME=str(home), LDN_GRAPH_CACHE=str(tmp_path / "cache"))
    env.pop("LDN_GRAPH_STATE", None)
    env.pop("XDG_CONFIG_HOME", None)
    proc = subprocess.run([str(console_script()), "search", "abcXYZ"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "hits:           0" in proc.stdout
    assert (tmp_path / "cache" / "biopython" / "Bio" / "Entrez" / "DTDs").is_dir()
    assert home.read_text().startswith("not a folder")


# ------------------------------------------------------------------------- items 16-17


def xxe_prolog(root: str, secret: Path, remote: str) -> str:
    return (
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE {root} [<!ENTITY file SYSTEM "file://{secret}">'
        f'<!ENTITY path SYSTEM "{secret}"><!ENTITY remote SYSTEM "{remote}/x.ent">'
        f'<!ENTITY nlm SYSTEM "https://x.nlm.nih.gov/x.ent">]>\n'
    )


def test_item_16_external_entities_never_reach_biopython(
    eutils_env: EutilsServer, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET_TEXT)
    body = (xxe_prolog("eSearchResult", secret, eutils_env.url)
            + "<eSearchResult><Count>0</Count><QueryTranslation>&file;&path;&remote;&nlm;"
            "</QueryTranslation></eSearchResult>").encode()
    eutils_env.add_fault("esearch", Fault("body", body=body), times=5)
    c, _ = client()
    with pytest.raises(FetchError, match="declares its own XML entities") as info:
        c.esearch("abcXYZ")
    assert SECRET_TEXT not in str(info.value)
    assert [r.utility for r in eutils_env.log] == ["esearch"]  # refused unread, not retried


def test_item_17_external_entities_never_reach_the_graph(
    eutils_env: EutilsServer, fast_entrez: FastEntrez, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET_TEXT)
    article = synthetic_article("900000011", "Synthetic fibromyalgia title &file;&path;&remote;",
                                "Before &file; after &nlm;")
    # 1. from the network: an efetch reply declaring entities is refused, nothing cached
    prolog = xxe_prolog("PubmedArticleSet", secret, eutils_env.url)
    served = (prolog + "<PubmedArticleSet>" + article + "</PubmedArticleSet>").encode()
    eutils_env.add_fault("efetch", Fault("body", body=served), times=5)
    cache_dir = tmp_path / "cache"
    fetched = cli("fetch", "900000011", "--cache-dir", cache_dir)
    assert fetched.exit_code == 3 and "declares its own XML entities" in fetched.stderr
    with RecordCache(cache_dir, seed=None) as cache:
        assert list(cache.pmids()) == []
    # 2. from a local file: `cache import` parses it with entities left unexpanded
    local = tmp_path / "xxe_synthetic.xml"
    local.write_bytes(served)
    imported = cli("cache", "import", local, "--cache-dir", cache_dir)
    assert imported.exit_code == 0, imported.stderr
    # 3. from the cache: verify re-parses the stored XML, then export the graph
    assert cli("cache", "verify", "--cache-dir", cache_dir).exit_code == 0
    page = citing_page(tmp_path / "page.txt", ["900000011"])
    out = tmp_path / "graph.ttl"
    exported = cli("export", page, "--offline", "--cache-dir", cache_dir, "-o", out)
    assert exported.exit_code == 0, exported.stderr
    assert "Synthetic fibromyalgia title" in out.read_text(encoding="utf-8")
    for path in [out, *files_under(cache_dir)]:
        assert SECRET_TEXT.encode() not in path.read_bytes(), path
    assert [r.utility for r in eutils_env.log] == ["efetch"]  # no entity was ever fetched


# ------------------------------------------------------------------------- item 18

_MEASURE = """
import resource, sys
from click.testing import CliRunner
from ldn_graph.cli.group import main
result = CliRunner().invoke(main, sys.argv[1:])
sys.stdout.write(result.stdout)
sys.stderr.write(result.stderr)
# the peak of this process's own memory: VmHWM (Linux) starts afresh at exec, while
# ru_maxrss keeps the high-water mark of the forked parent (a large test run) across it
try:
    peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
sys.stderr.write("MAXRSS_KB=%d\\n" % peak)
sys.exit(result.exit_code)
"""
MEMORY_LIMIT = 1024 * 1024 * 1024  # address space of the child: 1 GiB
RSS_BOUND_KB = 250 * 1024  # generous: the child needs ~60 MB; Bio.Entrez's expat, 400+ MB


def run_bounded(args: list[str], env: dict[str, str], cwd: Path) -> tuple[int, str, int]:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    proc = subprocess.run([sys.executable, "-c", _MEASURE, *args], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=120, preexec_fn=limit)
    rss = int(proc.stderr.rsplit("MAXRSS_KB=", 1)[1].split()[0])
    return proc.returncode, proc.stdout + proc.stderr, rss


def test_item_18_an_entity_bomb_in_a_local_file_stops_at_once(tmp_path: Path) -> None:
    bomb = tmp_path / "billion_laughs_synthetic.xml"
    bomb.write_text(billion_laughs("PubmedArticleSet") + "<PubmedArticleSet>"
                    + synthetic_article("900000012", "&lol9;") + "</PubmedArticleSet>")
    code, output, rss = run_bounded(["cache", "import", str(bomb), "--cache-dir",
                                     str(tmp_path / "cache")], python_env(), tmp_path)
    assert code == 2, output
    assert "Error: billion_laughs_synthetic.xml: not well-formed XML" in output
    assert rss < RSS_BOUND_KB, rss
    with pytest.raises(InputError):  # the library says the same
        list(iter_records(bomb))


@pytest.mark.parametrize("utility", ["esearch", "efetch"])
def test_item_18_an_entity_bomb_from_the_network_is_refused_unread(
    eutils_env: EutilsServer, tmp_path: Path, utility: str
) -> None:
    if utility == "esearch":  # parsed by Bio.Entrez (expat): seconds and 400+ MB
        head = (EUTILS / "esearch8.xml").read_bytes().split(b"<eSearchResult>")[0]
        doctype = head.split(b"<!DOCTYPE", 1)[1].rstrip().rstrip(b">")
        entities = billion_laughs("x").split("[", 1)[1].rsplit("]", 1)[0]
        body = (b'<?xml version="1.0"?>\n<!DOCTYPE' + doctype + b" [" + entities.encode()
                + b"]>\n<eSearchResult><Count>&lol9;</Count></eSearchResult>")
        args = ["search", "abcXYZ"]
    else:  # parsed by lxml
        body = (billion_laughs("PubmedArticleSet") + "<PubmedArticleSet>"
                + synthetic_article("9997", "&lol9;") + "</PubmedArticleSet>").encode()
        args = ["fetch", "9997"]
    eutils_env.add_fault(utility, Fault("body", body=body), times=5)
    env = python_env(LDN_GRAPH_CACHE=str(tmp_path / "cache"))
    code, output, rss = run_bounded(args, env, tmp_path)
    assert code == 3, output
    assert "declares its own XML entities" in output and "\nTraceback" not in output
    assert len(eutils_env.requests(utility)) == 1  # refused, not retried five times
    assert rss < RSS_BOUND_KB, rss


# ------------------------------------------------------------------------- item 24


def test_item_24_invalid_utf8_in_pubmed_xml_is_a_clear_error_and_keeps_the_rest(
    tmp_path: Path, eutils_env: EutilsServer
) -> None:
    good = synthetic_article("900000013", "Synthetic good record")
    bad = synthetic_article("900000014", "Synthetic bad record \xff\xfe").encode("latin-1")
    path = tmp_path / "bad_utf8_synthetic.xml"
    path.write_bytes(b'<?xml version="1.0" encoding="UTF-8"?>\n<PubmedArticleSet>'
                     + good.encode() + bad + b"</PubmedArticleSet>")
    result = cli("cache", "import", path, "--cache-dir", tmp_path / "cache")
    assert result.exit_code == 2
    [line] = [ln for ln in result.stderr.splitlines() if ln.startswith("Error:")]
    assert "bad_utf8_synthetic.xml" in line and "not well-formed XML" in line
    with RecordCache(tmp_path / "cache", seed=None) as cache:
        assert list(cache.pmids()) == ["900000013"]  # records before the fault are kept
    # the same bytes from the network: retried as malformed, never cached
    body = (b'<?xml version="1.0" encoding="UTF-8"?>\n<PubmedArticleSet>' + bad
            + b"</PubmedArticleSet>")
    eutils_env.add_fault("efetch", Fault("body", body=body), times=2)
    c, _ = client(max_tries=2)
    with pytest.raises(FetchError, match="malformed or truncated XML"):
        list(c.fetch_pubmed_xml(["900000014"]))


def test_item_17_xml_read_back_from_the_cache_resolves_no_entity(tmp_path: Path) -> None:
    """Stored record XML is re-parsed (``cache verify``) with the same safe parser."""
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET_TEXT)
    local = tmp_path / "synthetic.xml"
    local.write_text("<PubmedArticleSet>" + synthetic_article("900000015", "Synthetic")
                     + "</PubmedArticleSet>")
    cache_dir = tmp_path / "cache"
    assert cli("cache", "import", local, "--cache-dir", cache_dir).exit_code == 0
    hostile = (f'<!DOCTYPE PubmedArticle [<!ENTITY file SYSTEM "file://{secret}">]>'
               + synthetic_article("900000015", "Synthetic &file;")).encode()
    db = sqlite3.connect(str(cache_dir / "records.sqlite3"))
    db.execute("UPDATE records SET raw = ?, sha256 = ? WHERE pmid = '900000015'",
               (zlib.compress(hostile), hashlib.sha256(hostile).hexdigest()))
    db.commit()
    db.close()
    result = cli("cache", "verify", "--cache-dir", cache_dir)
    assert result.exit_code == 0, result.stdout  # it parses: the entity stays unexpanded
    assert SECRET_TEXT not in result.stdout + result.stderr
    with RecordCache(cache_dir, seed=None) as cache:
        raw = cache.get_raw("900000015")
    assert raw is not None
    study = parse_study_xml(raw)
    assert study.title == "Synthetic" and SECRET_TEXT not in json.dumps(study.to_dict())
