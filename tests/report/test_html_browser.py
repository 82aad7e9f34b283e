"""The HTML report in a real browser: headless Chromium, driven over the DevTools protocol.

Chromium is started with ``--remote-debugging-pipe`` (DevTools messages on file
descriptors 3 and 4, no port, no websocket library). The test opens the report from a
file, checks what a person would see after layout (claim rows with their verdicts, the
claim map drawn with a real size, unsupported claims in red), that the page made no
network request and ran no script, and keeps screenshots under ``test-artifacts/``.

Set ``LDN_GRAPH_UPDATE_SCREENSHOT=1`` to also refresh ``docs/img/report.png``, the
README's picture of the report (of the monograph example, ``examples/001_…``).

Without Chromium the test skips with a message saying how to install it; in CI
(``CI`` set) it fails instead, because CI installs it.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from paths import ROOT
from synthetic_audit import HOSTILE, build_synthetic_result

from ldn_graph.audit import AuditOptions, audit
from ldn_graph.report.html import render_html
from ldn_graph.resources import example_paths

ROOT = ROOT
ARTIFACTS = ROOT / "test-artifacts"
README_SHOT = ROOT / "docs" / "img" / "report.png"
README_REPORT = "monograph"  # the README pictures the report of the monograph example
MONOGRAPH = "001_4aaa9d78fd1a3130.txt"
INSTALL_HINT = (
    "Chromium not found: install it with `apt-get install chromium` (Debian; `make test` does "
    "this when run as root) or set LDN_GRAPH_CHROMIUM to a Chromium/Chrome binary"
)
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--hide-scrollbars",
    "--mute-audio",
    "--remote-debugging-pipe",
)
_TRAMPOLINE = (
    "import os, sys; os.dup2(int(sys.argv[1]), 3); os.dup2(int(sys.argv[2]), 4); "
    "os.execv(sys.argv[3], sys.argv[3:])"
)
READ_LIMIT_S = 60.0  # a guard against a hung browser, not a timing assertion


def find_chromium() -> str | None:
    explicit = os.environ.get("LDN_GRAPH_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


class DevTools:
    """A minimal Chrome DevTools Protocol client over ``--remote-debugging-pipe``."""

    def __init__(self, binary: str, profile: Path) -> None:
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()
        # move the child's ends above 9 so that dup2 onto 3 and 4 cannot clobber them
        to_chrome_r, from_chrome_w = (_above_nine(to_chrome_r), _above_nine(from_chrome_w))
        argv = [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"]
        # Chromium expects the pipe on fds 3 and 4; a tiny trampoline puts it there
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _TRAMPOLINE, str(to_chrome_r), str(from_chrome_w), *argv],
            pass_fds=(to_chrome_r, from_chrome_w),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buf = b""
        self._next_id = 0
        self._replies: dict[int, dict[str, Any]] = {}
        self.events: list[dict[str, Any]] = []

    def _read_message(self) -> dict[str, Any]:
        deadline = time.monotonic() + READ_LIMIT_S
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._from_chrome], [], [], max(0.0, left))
            if not ready:
                raise RuntimeError("Chromium did not answer over the DevTools pipe")
            chunk = os.read(self._from_chrome, 1 << 20)
            if not chunk:
                err = self.proc.stderr.read().decode(errors="replace")[-2000:] if self.proc.stderr else ""
                raise RuntimeError(f"Chromium closed the DevTools pipe: {err}")
            self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def _write(self, method: str, params: dict[str, Any] | None, target: str | None) -> int:
        self._next_id += 1
        msg: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if target:
            msg["sessionId"] = target
        os.write(self._to_chrome, json.dumps(msg).encode() + b"\0")
        return self._next_id

    def _pump(self) -> None:
        """Read one message: a reply is filed by id, an event is kept. A script dialog
        (which would block the page) is recorded and dismissed at once."""
        msg = self._read_message()
        if "id" in msg:
            self._replies[msg["id"]] = msg
            return
        self.events.append(msg)
        if msg.get("method") == "Page.javascriptDialogOpening":
            self._write("Page.handleJavaScriptDialog", {"accept": False}, msg.get("sessionId"))

    def send(self, method: str, params: dict[str, Any] | None = None, target: str | None = None) -> dict[str, Any]:
        msg_id = self._write(method, params, target)
        while msg_id not in self._replies:
            self._pump()
        reply = self._replies.pop(msg_id)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def wait_event(self, method: str, target: str) -> dict[str, Any]:
        seen = 0
        while True:
            for ev in self.events[seen:]:
                if ev.get("method") == method and ev.get("sessionId") == target:
                    self.events.remove(ev)
                    return ev
            seen = len(self.events)
            self._pump()

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, OSError):
            self.send("Browser.close")
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._to_chrome, self._from_chrome):
            with contextlib.suppress(OSError):
                os.close(fd)
        if self.proc.stderr:
            self.proc.stderr.close()


def _above_nine(fd: int) -> int:
    high = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return high


class Page:
    def __init__(self, tools: DevTools, width: int = 1280, height: int = 900) -> None:
        self.tools = tools
        target = tools.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.target = tools.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for method in ("Page.enable", "Network.enable", "Runtime.enable"):
            tools.send(method, target=self.target)
        tools.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            target=self.target,
        )

    def open(self, path: Path) -> None:
        self.tools.events.clear()
        self.tools.send("Page.navigate", {"url": path.as_uri()}, target=self.target)
        self.tools.wait_event("Page.loadEventFired", self.target)

    def evaluate(self, expression: str) -> Any:
        result = self.tools.send(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True}, target=self.target
        )
        if "exceptionDetails" in result:
            raise RuntimeError(str(result["exceptionDetails"]))
        return result["result"].get("value")

    def requests(self) -> list[str]:
        return [
            ev["params"]["request"]["url"]
            for ev in self.tools.events
            if ev.get("method") == "Network.requestWillBeSent" and ev.get("sessionId") == self.target
        ]

    def dialogs(self) -> list[str]:
        return [
            ev["params"].get("message", "")
            for ev in self.tools.events
            if ev.get("method") == "Page.javascriptDialogOpening"
        ]

    def screenshot(self, out: Path, max_height: int | None = None) -> None:
        metrics = self.tools.send("Page.getLayoutMetrics", target=self.target)
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        height = int(size["height"]) if max_height is None else min(int(size["height"]), max_height)
        shot = self.tools.send(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": int(size["width"]), "height": height, "scale": 1},
            },
            target=self.target,
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(base64.b64decode(shot["data"]))


# What a person sees, measured after layout: rows, verdict badges, the map's boxes.
SEEN = r"""
(() => {
  const box = el => { const r = el.getBoundingClientRect(); return [r.width, r.height]; };
  const rows = [...document.querySelectorAll('table.claims tr[data-claim-id]')].map(tr => {
    const badge = tr.querySelector('td.verdict .badge');
    return {
      id: tr.dataset.claimId, verdict: tr.dataset.verdict,
      shown: badge ? badge.innerText.trim() : null,
      badgeColor: badge ? getComputedStyle(badge).color : null,
      claimText: tr.querySelector('td.claim').innerText,
      size: box(tr),
    };
  });
  const svg = document.querySelector('svg.claim-map');
  const nodes = svg ? [...svg.querySelectorAll('g.claim-node')].map(g => ({
      id: g.dataset.claimId, verdict: g.dataset.verdict,
      fill: g.querySelector('rect').getAttribute('fill'),
      stroke: g.querySelector('rect').getAttribute('stroke'),
      size: box(g)})) : [];
  return {
    title: document.title,
    scripts: document.scripts.length,
    svg: svg ? box(svg) : null,
    svgVisible: svg ? getComputedStyle(svg).visibility === 'visible' && getComputedStyle(svg).display !== 'none' : false,
    studies: svg ? svg.querySelectorAll('g.study-node').length : 0,
    concepts: svg ? svg.querySelectorAll('g.concept-node').length : 0,
    nodes,
    rows,
    summary: Object.fromEntries([...document.querySelectorAll('#summary .count[data-verdict]')].map(
      c => [c.dataset.verdict, Number(c.querySelector('b').innerText)])),
    findings: document.querySelectorAll('table.findings tr[data-kind]').length,
    pubmedLinks: [...document.querySelectorAll('a[href^="https://pubmed.ncbi.nlm.nih.gov/"]')].length,
    overflowX: document.documentElement.scrollWidth > window.innerWidth + 1,
    bodyText: document.body.innerText,
    anchorsOk: [...document.querySelectorAll('svg a')].every(a => {
      const id = (a.getAttribute('href') || '').slice(1); return !!document.getElementById(id); }),
  };
})()
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[DevTools]:
    binary = find_chromium()
    if binary is None:
        if in_ci():
            pytest.fail(INSTALL_HINT + " (CI is set, so this test must run)")
        pytest.skip(INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="ldn-graph-chromium-") as profile:
        tools = DevTools(binary, Path(profile))
        try:
            yield tools
        finally:
            tools.close()


@pytest.fixture(scope="module", params=["examples", "monograph"])
def audited(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Any]:
    """The bundled examples audited offline: all of them, and the monograph alone."""
    paths = example_paths()
    if request.param == "monograph":
        paths = [p for p in paths if Path(p).name == MONOGRAPH]
        assert len(paths) == 1
    cache = tmp_path_factory.mktemp("cache")
    return request.param, audit(paths, AuditOptions(offline=True, cache_dir=cache))


def test_report_of_the_examples_as_seen_in_chromium(browser: DevTools, audited: tuple[str, Any], tmp_path: Path) -> None:
    name, result = audited
    html_path = tmp_path / f"report-{name}.html"
    html_path.write_text(render_html(result), encoding="utf-8")
    page = Page(browser)
    page.open(html_path)
    seen = page.evaluate(SEEN)

    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copyfile(html_path, ARTIFACTS / html_path.name)
    if name == README_REPORT:  # the whole page of the smaller report (the other is ~15,000 px tall)
        page.screenshot(ARTIFACTS / f"report-{name}-full.png")
    page.screenshot(ARTIFACTS / f"report-{name}.png", max_height=1500)
    if name == README_REPORT and os.environ.get("LDN_GRAPH_UPDATE_SCREENSHOT") == "1":
        README_SHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ARTIFACTS / f"report-{name}.png", README_SHOT)

    expected = {
        c.id: d.assessment(c.id).verdict for d in result.documents for c in d.claims
    }
    assert expected, "the examples should yield claims"
    # every claim is a visible row, showing its verdict as text
    assert {r["id"]: r["verdict"] for r in seen["rows"]} == expected
    for r in seen["rows"]:
        assert r["shown"] == r["verdict"].replace("_", "-")
        assert r["size"][0] > 0 and r["size"][1] > 0
    # unsupported claims are red, supported ones are not
    colors = {r["verdict"]: r["badgeColor"] for r in seen["rows"]}
    if "unsupported" in colors:
        assert colors["unsupported"] == "rgb(207, 34, 46)"
    # the claim map is drawn, with a real size, one node per claim in its verdict colour
    assert seen["svgVisible"]
    width, height = seen["svg"]
    assert width > 600 and height > 100
    assert {n["id"]: n["verdict"] for n in seen["nodes"]} == expected
    assert all(n["size"][0] > 0 and n["size"][1] > 0 for n in seen["nodes"])
    assert all(n["stroke"] == "#cf222e" for n in seen["nodes"] if n["verdict"] == "unsupported")
    assert seen["concepts"] >= 1 and seen["studies"] >= 1
    assert seen["anchorsOk"], "every node of the map links to a row or reference of the page"
    # the summary cards agree with the result
    summary = result.summary()
    assert seen["summary"] == {v: summary[v] for v in seen["summary"]}
    assert seen["pubmedLinks"] >= 1
    assert not seen["overflowX"], "the page fits a 1280 px window without horizontal scrolling"
    # self-contained: nothing but the file itself was requested, nothing ran
    assert page.requests() == [html_path.as_uri()]
    assert seen["scripts"] == 0


def test_hostile_text_is_shown_not_run(browser: DevTools, tmp_path: Path) -> None:
    result = build_synthetic_result()
    html_path = tmp_path / "synthetic.html"
    html_path.write_text(render_html(result), encoding="utf-8")
    page = Page(browser)
    page.open(html_path)
    seen = page.evaluate(SEEN)
    page.screenshot(ARTIFACTS / "report-synthetic.png")

    assert page.dialogs() == []
    assert seen["scripts"] == 0
    assert HOSTILE in seen["bodyText"], "the document's text is displayed literally"
    hostile_rows = [r for r in seen["rows"] if HOSTILE in r["claimText"]]
    assert len(hostile_rows) == 1 and hostile_rows[0]["verdict"] == "off_topic"
    # the record title's <i> markup is rendered as italics, not as text
    assert page.evaluate(
        "[...document.querySelectorAll('.rtitle i')].map(e => e.innerText)"
    ) == ["TERT"]
    # a javascript: URL from a reference list is never a link
    assert page.evaluate("document.querySelectorAll('a[href^=\"javascript\"]').length") == 0
    assert page.requests() == [html_path.as_uri()]
