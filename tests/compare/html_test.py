# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""Renders alloc_counter_compare's HTML report in headless Chromium.

Writes the report for the JSON of the two builds of compare_benchmark.cc and
for the hand-written JSON with allocation sites and size histograms, loads
each page in headless Chromium from a file: URL (the page needs nothing
else), and checks in the rendered DOM that its scripts ran without error
(the page writes "render-check: ok" only then) and that the figures are in
the page's text. Also takes a screenshot of each page, kept in the test's
undeclared outputs under Bazel (bazel-testlogs/.../test.outputs) or in
html_test_outputs/ of the working directory under CTest, to be looked at.

Chromium comes from the Debian package `chromium` (tools/install_deps.sh
installs it); the test fails, saying so, when it is not installed. Set
CHROMIUM to use another binary.

Arguments: the tool, the baseline and contender binaries, and the baseline
and contender JSON fixtures with sites.
"""

from html.parser import HTMLParser
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest

TOOL = BASELINE_BIN = CONTENDER_BIN = SITES_BASELINE = SITES_CONTENDER = None
TMP = None
OUT_DIR = None  # where the screenshots are kept

WINDOW = (1100, 1600)  # width, height of the screenshots

# Flags for a quiet, offline, repeatable headless run as root in a container.
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
    "--no-first-run", "--no-default-browser-check",
    "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-extensions", "--disable-dev-shm-usage",
    "--hide-scrollbars", "--mute-audio",
]


def find_chromium():
    candidates = [os.environ.get("CHROMIUM"), "chromium", "chromium-browser",
                  "google-chrome"]
    for name in candidates:
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def chromium(*args, attempts=2):
    """Runs headless Chromium on a fresh profile; stdout. A run that times
    out or fails is retried once, so that a loaded machine is no failure."""
    binary = find_chromium()
    if binary is None:
        raise AssertionError(
            "chromium is not installed: run tools/install_deps.sh (Debian "
            "package chromium), or set CHROMIUM to a Chromium binary")
    errors = []
    for _ in range(attempts):
        home = tempfile.mkdtemp(dir=TMP.name)
        env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=home,
                   XDG_CACHE_HOME=home)
        try:
            proc = subprocess.run(
                [binary, *CHROMIUM_FLAGS, f"--user-data-dir={home}/profile",
                 *args], capture_output=True, text=True, env=env, timeout=90,
                check=False)
        except subprocess.TimeoutExpired:
            errors.append("timed out after 90 s")
            continue
        if proc.returncode == 0:
            return proc.stdout
        errors.append(f"exit status {proc.returncode}: {proc.stderr[-2000:]}")
    raise AssertionError(f"{binary} {' '.join(args)} failed: " +
                         "; ".join(errors))


class TextOf(HTMLParser):
    """The text nodes of a page outside <script> and <style>."""

    def __init__(self):
        super().__init__()
        self.chunks = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.chunks.append(" ".join(data.split()))


def rendered_text(page):
    """The text of `page` as Chromium has rendered it, one chunk a line."""
    dom = chromium("--dump-dom", "file://" + page)
    parser = TextOf()
    parser.feed(dom)
    return "\n".join(parser.chunks)


def screenshot(page, name):
    """A PNG of `page`; returns (width, height, size in bytes)."""
    png = os.path.join(OUT_DIR, name)
    chromium(f"--screenshot={png}", "--window-size=%d,%d" % WINDOW,
             "file://" + page)
    with open(png, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise AssertionError(f"{png} is not a PNG file")
    width, height = struct.unpack(">II", data[16:24])
    print(f"screenshot: {png} ({width}x{height}, {len(data)} bytes)")
    return width, height, len(data)


def write_report(baseline, contender, name):
    page = os.path.join(TMP.name, name)
    proc = subprocess.run([TOOL, baseline, contender, f"--html={page}"],
                          capture_output=True, text=True, check=False)
    if proc.returncode not in (0, 1):
        raise AssertionError(f"alloc_counter_compare exited "
                             f"{proc.returncode}: {proc.stderr}")
    return page


def run_benchmark(binary, name):
    out = os.path.join(TMP.name, name)
    proc = subprocess.run([binary, f"--benchmark_out={out}",
                           "--benchmark_out_format=json"],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise AssertionError(f"{binary} exited {proc.returncode}:\n"
                             f"{proc.stderr}")
    return out


class HtmlReportTest(unittest.TestCase):

    def assert_in_text(self, text, expected):
        for line in expected:
            self.assertIn(line, text.splitlines(),
                          f"{line!r} is not a text line of the page")

    def test_real_runs(self):
        page = write_report(run_benchmark(BASELINE_BIN, "baseline.json"),
                            run_benchmark(CONTENDER_BIN, "contender.json"),
                            "real_runs.html")
        text = rendered_text(page)
        self.assert_in_text(text, [
            "render-check: ok",
            "1 allocation regression: allocs/iter or bytes/iter grew by more "
            "than 0% in BM_Grows/iterations:100",
            "BM_Grows/iterations:100",
            "REGRESSION",
            "allocs/iter: 1 → 2 (+1, +100.0%)",
            "bytes/iter: 100 → 128 (+28, +28.0%)",
            "peak bytes: 100 → 128 (+28, +28.0%)",
            "allocs/iter: 2 (unchanged)",  # BM_Repeated, from its mean
            "bytes/iter: 64 (unchanged)",  # BM_Steady
            "only in baseline",
            "only in contender",
        ])
        self.assertNotIn("render-check: error", text)
        width, height, size = screenshot(page, "real_runs.png")
        self.assertEqual((width, height), WINDOW)
        # A blank page of this size compresses to a few kilobytes.
        self.assertGreater(size, 30000)

    def test_sites_and_histogram(self):
        page = write_report(SITES_BASELINE, SITES_CONTENDER, "sites.html")
        text = rendered_text(page)
        self.assert_in_text(text, [
            "render-check: ok",
            "allocs/iter: 3 → 4 (+1, +33.3%)",
            "bytes/iter: 240 → 288 (+48, +20.0%)",
            "Top allocation sites",
            "Parser::Parse(std::string_view) (parser.cc:17) (new)",
            "Parser::Intern(std::string_view) (parser.cc:88)",
            "Allocation sizes (allocations per iteration, by requested size)",
            "1–64 B old",
            "1–64 B new",
            "65–128 B new",
            "size histogram present but not understood.",
            "(no frames)",
        ])
        self.assertNotIn("render-check: error", text)
        width, height, size = screenshot(page, "sites.png")
        self.assertEqual((width, height), WINDOW)
        self.assertGreater(size, 30000)

    def test_script_error_is_seen(self):
        # The check itself: a page whose script throws is not "ok".
        with open(write_report(SITES_BASELINE, SITES_CONTENDER,
                               "broken.html"), encoding="utf-8") as f:
            page = f.read()
        broken = os.path.join(TMP.name, "broken.html")
        with open(broken, "w", encoding="utf-8") as f:
            f.write(page.replace("(function () {",
                                 "(function () { undefinedFunction();", 1))
        text = rendered_text(broken)
        self.assertNotIn("render-check: ok", text)
        self.assertIn("render-check: error: Uncaught ReferenceError: "
                      "undefinedFunction is not defined", text)


def setUpModule():
    global TMP, OUT_DIR
    TMP = tempfile.TemporaryDirectory()
    OUT_DIR = os.environ.get("TEST_UNDECLARED_OUTPUTS_DIR") or os.path.join(
        os.getcwd(), "html_test_outputs")
    os.makedirs(OUT_DIR, exist_ok=True)


def tearDownModule():
    TMP.cleanup()


if __name__ == "__main__":
    (TOOL, BASELINE_BIN, CONTENDER_BIN, SITES_BASELINE,
     SITES_CONTENDER) = map(os.path.abspath, sys.argv[1:6])
    del sys.argv[1:6]
    unittest.main()
