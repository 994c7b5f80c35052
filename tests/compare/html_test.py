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
html_test_outputs/ of the working directory under CTest, to be looked at,
and checks its pixels: the test adds a script to a copy of the page that
writes where the page's own DOM lays out the regression banner and a grown
bar, renders that copy at the screenshot's size, and finds each element's
colour (the page's CSS) inside its box in the PNG.

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
import re
import subprocess
import sys
import tempfile
import unittest
import zlib

from tests.run import run as run_binary

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
        message = ("chromium is not installed: run tools/install_deps.sh "
                   "(Debian package chromium), or set CHROMIUM to a Chromium "
                   "binary")
        # As for heaptrack (tests/heaptrack.py): a skip only where a local
        # run asks for one, never in CI.
        if os.environ.get("ALLOC_COUNTER_SKIP_MISSING_TOOLS") == "1":
            raise unittest.SkipTest(
                f"{message} (ALLOC_COUNTER_SKIP_MISSING_TOOLS=1)")
        raise AssertionError(message)
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
    """A PNG of `page`, decoded: (width, height, rows of (r, g, b))."""
    png = os.path.join(OUT_DIR, name)
    chromium(f"--screenshot={png}", "--window-size=%d,%d" % WINDOW,
             "file://" + page)
    with open(png, "rb") as f:
        data = f.read()
    width, height, rows = decode_png(data, png)
    print(f"screenshot: {png} ({width}x{height}, {len(data)} bytes)")
    return width, height, rows


def decode_png(data, what):
    """(width, height, rows of (r, g, b) pixels) of an 8-bit RGB or RGBA PNG,
    the kind Chromium writes."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise AssertionError(f"{what} is not a PNG file")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, color, _, _, interlace = header
    if depth != 8 or color not in (2, 6) or interlace != 0:
        raise AssertionError(f"{what}: unexpected PNG format {header}")
    channels = 3 if color == 2 else 4
    stride = width * channels
    raw = zlib.decompress(idat)
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                guess = left if pa <= pb and pa <= pc else (
                    up if pb <= pc else corner)
                line[i] = (line[i] + guess) & 0xFF
        rows.append([tuple(line[x * channels:x * channels + 3])
                     for x in range(width)])
        previous = line
    return width, height, rows


# Added to a copy of a page: writes the layout box of the first element
# matching each selector into the page's text, as "box SELECTOR: x y w h".
BOX_SCRIPT = """
<script>
(function () {
  var selectors = %s;
  for (var i = 0; i < selectors.length; i++) {
    var element = document.querySelector(selectors[i]);
    var r = element ? element.getBoundingClientRect() : null;
    var line = document.createElement('p');
    line.textContent = 'box ' + selectors[i] + ': ' + (r ?
        [r.left, r.top, r.width, r.height].map(Math.round).join(' ') :
        'none');
    document.body.appendChild(line);
  }
})();
</script>
"""


def boxes(page, selectors):
    """Where Chromium lays out the first element of each selector in `page`,
    at the screenshot's window size: {selector: (x, y, width, height)}."""
    with open(page, encoding="utf-8") as f:
        html = f.read()
    measured = page[:-len(".html")] + ".boxes.html"
    script = BOX_SCRIPT % ("[" + ", ".join(f"'{s}'" for s in selectors) + "]")
    with open(measured, "w", encoding="utf-8") as f:
        f.write(html.replace("</body>", script + "</body>", 1))
    dom = chromium("--dump-dom", "--window-size=%d,%d" % WINDOW,
                   "file://" + measured)
    found = {}
    for selector in selectors:
        match = re.search(re.escape(f"box {selector}: ") +
                          r"(-?\d+) (-?\d+) (\d+) (\d+)", dom)
        if match is None:
            raise AssertionError(f"no layout box for {selector!r}")
        found[selector] = tuple(int(v) for v in match.groups())
    return found


def colour(css):
    """(r, g, b) of a CSS colour #rrggbb."""
    return tuple(int(css[i:i + 2], 16) for i in (1, 3, 5))


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
    run_binary(binary, f"--benchmark_out={out}", "--benchmark_out_format=json")
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
        self.assertPainted(page, "real_runs.png", {
            # The regression banner and the grown bar of BM_Grows, in the
            # colours of the page's CSS.
            ".verdict.bad": "#ffebe9",
            ".bar.cont.up": "#cf222e",
        })

    def assertPainted(self, page, name, expected):
        """The screenshot of `page` shows each selector of `expected` in its
        colour: at mid-height of the element's layout box, 4 pixels in from
        its left edge (inside its padding, left of any text)."""
        found = boxes(page, list(expected))
        width, height, rows = screenshot(page, name)
        self.assertEqual((width, height), WINDOW)
        for selector, css in expected.items():
            x, y, w, h = found[selector]
            self.assertTrue(w > 0 and h > 0 and x + w <= width and
                            y + h <= height,
                            f"{selector} at {found[selector]} is not on the "
                            "screenshot")
            self.assertEqual(rows[y + h // 2][x + min(4, w // 2)],
                             colour(css), f"{selector} at {found[selector]}")

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
        self.assertPainted(page, "sites.png", {
            ".verdict.bad": "#ffebe9",
            ".sites tr.up td": "#ffebe9",
        })

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
    unittest.main(verbosity=2)
