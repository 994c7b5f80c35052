# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""Renders alloc_counter_compare's HTML report in headless Chromium.

Writes the report for the JSON of the two builds of compare_benchmark.cc and
for the hand-written JSON with allocation sites and size histograms, and
with allocation stacks and template-heavy names, loads each page in
headless Chromium from a file: URL (the page needs nothing else), and checks
in the rendered DOM that its scripts ran without error (the page writes
"render-check: ok" only then) and that the figures are in the page's text:
for the stacks, that each box of the flame graph the page's script draws
has the figures of its frame, computed here from the fixture; that names are
short in the text and full only in titles; that the size histogram has a
row a bucket, each label on one line. Also takes a screenshot of each page,
kept in the test's
undeclared outputs under Bazel (bazel-testlogs/.../test.outputs) or in
html_test_outputs/ of the working directory under CTest, to be looked at,
and checks its pixels: the test adds a script to a copy of the page that
writes where the page's own DOM lays out the regression banner and a grown
bar, renders that copy at the screenshot's size, and finds each element's
colour (the page's CSS) inside its box in the PNG.

Chromium comes from the Debian package `chromium` (tools/install_deps.sh
installs it); the test fails, saying so, when it is not installed. Set
CHROMIUM to use another binary.

Arguments: the tool, the baseline and contender binaries, the baseline and
contender JSON fixtures with sites, and those with stacks.
"""

from fractions import Fraction
from html.parser import HTMLParser
import json
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
STACKS_BASELINE = STACKS_CONTENDER = None
TMP = None
OUT_DIR = None  # where the screenshots are kept

WINDOW = (1100, 1600)  # width, height of the screenshots

# The names of the flame graph's nodes that are not frames, as in
# alloc_counter's folded stacks: the stacks that did not fit its table, and
# those deeper than it keeps.
SPECIAL = ("[other stacks]", "[deeper frames]")

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


def text_of(dom):
    """The text of a dumped DOM, one chunk a line."""
    parser = TextOf()
    parser.feed(dom)
    return "\n".join(parser.chunks)


def rendered_text(page):
    """The text of `page` as Chromium has rendered it, one chunk a line."""
    return text_of(chromium("--dump-dom", "file://" + page))


class Elements(HTMLParser):
    """The elements of a page: [(tag, {attribute: value}, text inside)]."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input",
            "link", "meta", "source", "track", "wbr"}

    def __init__(self, dom):
        super().__init__()
        self.elements = []
        self._open = []  # (tag, index in elements) of the open elements
        self.feed(dom)

    def handle_starttag(self, tag, attrs):
        self.elements.append([tag, dict(attrs), ""])
        if tag not in self.VOID:
            self._open.append((tag, len(self.elements) - 1))

    def handle_endtag(self, tag):
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data):
        for _, index in self._open:
            self.elements[index][2] += data

    def with_class(self, css):
        return [e for e in self.elements
                if css in (e[1].get("class") or "").split()]


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


# Added to a copy of a page: writes, for each selector, how many elements
# match, the least and greatest height of their layout boxes, and the layout
# box of the first one (or "none"), as
# "layout SELECTOR: count min max | x y w h".
LAYOUT_SCRIPT = """
<script>
(function () {
  var selectors = %s;
  for (var i = 0; i < selectors.length; i++) {
    var elements = document.querySelectorAll(selectors[i]);
    var heights = [];
    for (var j = 0; j < elements.length; j++) {
      heights.push(Math.round(elements[j].getBoundingClientRect().height));
    }
    var r = elements.length ? elements[0].getBoundingClientRect() : null;
    var line = document.createElement('p');
    line.textContent = 'layout ' + selectors[i] + ': ' + heights.length +
        ' ' + Math.min.apply(null, heights) + ' ' +
        Math.max.apply(null, heights) + ' | ' + (r ?
        [r.left, r.top, r.width, r.height].map(Math.round).join(' ') :
        'none');
    document.body.appendChild(line);
  }
})();
</script>
"""


def with_script(page, script, suffix):
    """The DOM of a copy of `page` with `script` added at the end of its
    body, rendered at the screenshot's window size."""
    with open(page, encoding="utf-8") as f:
        html = f.read()
    copy = page[:-len(".html")] + suffix + ".html"
    with open(copy, "w", encoding="utf-8") as f:
        f.write(html.replace("</body>", script + "</body>", 1))
    return chromium("--dump-dom", "--window-size=%d,%d" % WINDOW,
                    "file://" + copy)


def js_list(strings):
    return "[" + ", ".join(json.dumps(s) for s in strings) + "]"


def laid_out(page, selectors, suffix, pattern, what):
    """Runs LAYOUT_SCRIPT for `selectors` in a copy of `page` (its name ends
    with `suffix`) laid out at the screenshot's window size: {selector: the
    groups of `pattern` in its line}."""
    dom = with_script(page, LAYOUT_SCRIPT % js_list(selectors), suffix)
    found = {}
    for selector in selectors:
        match = re.search(re.escape(f"layout {selector}: ") + pattern, dom)
        if match is None:
            raise AssertionError(f"no {what} for {selector!r}")
        found[selector] = match.groups()
    return found


def heights(page, selectors):
    """{selector: (count, least height, greatest height)} of the elements of
    each selector in `page`, laid out at the screenshot's window size."""
    found = laid_out(page, selectors, ".heights",
                     r"(\d+) (-?\w+) (-?\w+) \|", "heights")
    return {k: (int(v[0]), v[1], v[2]) for k, v in found.items()}


def boxes(page, selectors):
    """Where Chromium lays out the first element of each selector in `page`,
    at the screenshot's window size: {selector: (x, y, width, height)}."""
    found = laid_out(page, selectors, ".boxes",
                     r"\d+ -?\w+ -?\w+ \| (-?\d+) (-?\d+) (\d+) (\d+)",
                     "layout box")
    return {k: tuple(int(x) for x in v) for k, v in found.items()}


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


def run_benchmark(binary, name, *args):
    out = os.path.join(TMP.name, name)
    run_binary(binary, f"--benchmark_out={out}", "--benchmark_out_format=json",
               *args)
    return out


def per_iteration(total, iterations):
    """A per-iteration figure as the page prints it: whole numbers exactly,
    else to at most 4 decimals."""
    value = Fraction(total) / Fraction(iterations)
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.4f}".rstrip("0")


def stack_totals(stacks):
    """{path: [allocs, bytes]} of the boxes of an alloc_stacks value: each
    frame keyed by the full names of the frames from the benchmark to it
    (the benchmark itself, the root, is the empty path), consecutive frames
    of one function (a recursion) one frame, with the totals of every stack
    through it; truncated stacks hang under a node of their own, and so do
    the stacks that were not recorded."""
    names = [f["function"] for f in stacks["frames"]]
    overflow, truncated = SPECIAL
    totals = {}
    for stack in stacks["stacks"]:
        if stack.get("overflow"):
            path = [overflow]
        else:
            path = [truncated] if stack.get("truncated") else []
            for i in stack["frames"]:
                if not path or path[-1] != names[i]:
                    path.append(names[i])
        for depth in range(len(path) + 1):
            key = "\n".join(path[:depth])
            entry = totals.setdefault(key, [0, 0])
            entry[0] += stack["allocs"]
            entry[1] += stack["bytes"]
    return totals


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def benchmark(data, name):
    return next(b for b in data["benchmarks"] if b["name"] == name)


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

    def test_real_stacks(self):
        # The stacks as alloc_counter writes them, drawn: a box a frame of
        # each benchmark that allocates, with its figures.
        contender = run_benchmark(CONTENDER_BIN, "contender_stacks.json",
                                  "--alloc_counter_sites=3")
        page = write_report(run_benchmark(BASELINE_BIN, "baseline_stacks.json",
                                          "--alloc_counter_sites=3"),
                            contender, "real_stacks.html")
        dom = chromium("--dump-dom", "file://" + page)
        self.assertIn("render-check: ok", text_of(dom).splitlines())
        rows = {row["name"]: row for row in load_json(contender)["benchmarks"]
                if row.get("run_type") != "aggregate"}
        grows = rows["BM_Grows/iterations:100"]["alloc_stacks"]
        totals = stack_totals(grows)
        self.assertEqual(per_iteration(totals[""][0], grows["iterations"]),
                         "2")  # BM_Grows's allocs/iter in the contender
        card = dom[dom.index('id="b-BM_Grows-iterations-100"'):]
        card = card[:card.index("</section>")]
        found = {e[1]["data-path"]: e[1]["data-allocs"]
                 for e in Elements(card).with_class("fg-box")}
        self.assertEqual(found, {
            path: per_iteration(allocs, grows["iterations"])
            for path, (allocs, _) in totals.items()})
        # A graph for each benchmark that allocates, none for the one that
        # does not.
        none = dom[dom.index('id="b-BM_NoAllocation-iterations-100"'):]
        none = none[:none.index("</section>")]
        self.assertNotIn('class="flame"', none)
        self.assertIn("no allocations.", text_of(none).splitlines())

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
            # A frame: its short name, and where it is as the console says.
            "std::vector<…>::_M_realloc_insert",
            "at vector.tcc:445",
            "Parser::Intern(…)",
            "at parser.cc:88",
            "new",  # the site of Parser::Intern, not in the baseline
            "Allocation sizes (allocations per iteration, by requested size)",
            "1–64 B",
            "1 → 2",  # allocs/iter in the bucket, baseline → contender
            "65–128 B",
            "size histogram present but not understood.",
            "(no frames)",
        ])
        self.assertNotIn("Parser::Intern(std::string_view)", text)
        self.assertNotIn("render-check: error", text)
        self.assertPainted(page, "sites.png", {
            ".verdict.bad": "#ffebe9",
            ".sites tr.up td": "#ffebe9",
        })

    def test_stacks_and_short_names(self):
        page = write_report(STACKS_BASELINE, STACKS_CONTENDER, "stacks.html")
        dom = chromium("--dump-dom", "--window-size=%d,%d" % WINDOW,
                       "file://" + page)
        text = text_of(dom)
        elements = Elements(dom)
        base = benchmark(load_json(STACKS_BASELINE), "BM_Dump")
        cont = benchmark(load_json(STACKS_CONTENDER), "BM_Dump")
        stacks = cont["alloc_stacks"]
        n = stacks["iterations"]
        totals = stack_totals(stacks)
        self.assertNotIn("render-check: error", text)
        self.assert_in_text(text, [
            "render-check: ok",
            "bytes/iter: 288 → 508.5 (+220.5, +76.6%)",
            "Allocation stacks (the benchmark at the top, the frames it calls "
            "below; hover a frame for its name and figures, click it to zoom "
            "in, click the top to zoom out)",
            # The root's figures, shown before any click.
            f": {per_iteration(totals[''][0], n)} allocs/iter (100.0%), "
            f"{per_iteration(totals[''][1], n)} bytes/iter (100.0%)",
        ])
        # The totals of the stacks are the benchmark's figures.
        self.assertEqual(per_iteration(totals[""][0], n),
                         str(cont["allocs/iter"]))
        self.assertEqual(per_iteration(totals[""][1], n),
                         str(cont["bytes/iter"]))

        # Short names in the text: the contender's own, and those the tool
        # makes for the baseline's site that is gone (its JSON has none).
        shorts = {f["short"] for site in cont["alloc_sites"]
                  for f in site["frames"]}
        self.assertIn("nlohmann::json_abi_v3_11_2::detail::serializer<…>::"
                      "dump(…)", shorts)
        self.assert_in_text(text, sorted(shorts) + [
            "std::vector<…>::_M_realloc_insert<…>(…)", "×3", "gone"])
        # Full names only in titles, never in the text.
        self.assertNotIn("std::char_traits", text)
        self.assertNotIn("[clone", text)
        titles = [e[1]["title"] for e in elements.elements
                  if "title" in e[1]]
        for frame in stacks["frames"]:
            self.assertTrue(any(frame["function"] in t for t in titles),
                            f"no title holds {frame['function']!r}")

        # A box a frame, with the frame's figures per iteration.
        flame_boxes = elements.with_class("fg-box")
        found = {e[1]["data-path"]: (e[1]["data-allocs"], e[1]["data-bytes"])
                 for e in flame_boxes}
        self.assertEqual(len(found), len(flame_boxes))
        self.assertEqual(found, {
            path: (per_iteration(a, n), per_iteration(b, n))
            for path, (a, b) in totals.items()})
        for element in flame_boxes:
            allocs, bytes_ = found[element[1]["data-path"]]
            self.assertIn(f"allocs/iter: {allocs} (", element[1]["title"])
            self.assertIn(f"bytes/iter: {bytes_} (", element[1]["title"])

        # A recursion is one box, with its depths: the serializer calls
        # itself on nested values.
        serializer = next(f for f in stacks["frames"]
                          if f["short"].endswith("serializer<…>::dump(…)"))
        index = stacks["frames"].index(serializer)
        depths = [stack["frames"].count(index) for stack in stacks["stacks"]
                  if index in stack["frames"] and not stack.get("truncated")]
        self.assertGreater(max(depths), 1)
        path = next(p for p in found if p.endswith(serializer["function"])
                    and not p.startswith(SPECIAL[1]))
        element = next(e for e in flame_boxes if e[1]["data-path"] == path)
        self.assertTrue(element[1]["title"].startswith(
            f"{serializer['short']} ×{min(depths)}–{max(depths)}\n"),
                        element[1]["title"])

        # Coloured against the baseline's frame of the same path.
        base_totals = stack_totals(base["alloc_stacks"])
        base_n = base["alloc_stacks"]["iterations"]
        kinds = {}
        for element in flame_boxes:
            path = element[1]["data-path"]
            css = set(element[1]["class"].split())
            kind = ({"root", "special", "grew", "new", "shrank", "same"} &
                    css).pop()
            kinds[path] = kind
            if kind in ("root", "special"):
                continue
            if path not in base_totals:
                self.assertEqual(kind, "new", path)
                continue
            new = [Fraction(v, n) for v in totals[path]]
            old = [Fraction(v, base_n) for v in base_totals[path]]
            self.assertEqual(kind, "grew" if new[0] > old[0] or new[1] > old[1]
                             else "shrank" if new != old else "same", path)
        self.assertEqual(
            {kind for kind in kinds.values()},
            {"root", "special", "grew", "new", "shrank", "same"})

        # The size histogram: a row a bucket of either run, smallest first.
        buckets = sorted({(b["min_bytes"], b["max_bytes"])
                          for path in (STACKS_BASELINE, STACKS_CONTENDER)
                          for b in benchmark(load_json(path), "BM_Sizes")[
                              "size_histogram"]})
        self.assertEqual(len(buckets), 15)
        sizes = dom[dom.index('class="hist"', dom.index('id="b-BM_Sizes"')):]
        labels = [e[2] for e in Elements(sizes).with_class("side")]
        self.assertEqual(labels, [f"{lo} B" if lo == hi else f"{lo}–{hi} B"
                                  for lo, hi in buckets])
        self.assert_in_text(text, ["8192–16383 B", "1 → 2", "- → 1"])

        # Each histogram label and each frame of a site on one line.
        lines = heights(page, [".hist-row .side", ".sites .fl",
                               ".sites .fn"])
        count, low, high = lines[".hist-row .side"]
        self.assertEqual((count, low), (15, high))
        self.assertLessEqual(int(high), 20)
        count, low, high = lines[".sites .fl"]
        self.assertEqual(low, high)
        self.assertLessEqual(int(high), 20)
        self.assertEqual(count, lines[".sites .fn"][0] + 1)  # + other

        self.assertPainted(page, "stacks.png", {
            ".verdict.bad": "#ffebe9",
            ".fg-box.root": "#d0d7de",
            ".fg-box.grew": "#ff9f99",
            ".fg-box.shrank": "#9fdcad",
        })

    def test_flame_graph_click_and_bytes(self):
        page = write_report(STACKS_BASELINE, STACKS_CONTENDER,
                            "stacks_click.html")
        stacks = benchmark(load_json(STACKS_CONTENDER), "BM_Dump")[
            "alloc_stacks"]
        n = stacks["iterations"]
        totals = stack_totals(stacks)
        names = {f["function"]: f["short"] for f in stacks["frames"]}
        # The deepest stack of frames from the benchmark, and another leaf.
        frames = [p for p in totals if p and p.split("\n")[0] not in SPECIAL]
        deepest = max(frames, key=lambda p: p.count("\n"))
        leaf = min((p for p in frames if p != deepest and not any(
            q.startswith(p + "\n") for q in totals)), key=len)
        script = """
<script>
(function () {
  function box(path) {
    var all = document.querySelectorAll('.fg-box');
    for (var i = 0; i < all.length; i++) {
      if (all[i].getAttribute('data-path') === path) return all[i];
    }
    return null;
  }
  function say(text) {
    var line = document.createElement('p');
    line.textContent = text;
    document.body.appendChild(line);
  }
  var flame = document.querySelector('.flame');
  document.querySelector('input[value=b]').click();
  say('bytes width: ' + box(%(leaf)s).style.width);
  box(%(path)s).click();
  say('zoomed width: ' + box(%(path)s).style.width);
  say('info: ' + flame.querySelector('.fg-info').textContent);
})();
</script>
""" % {"path": json.dumps(deepest), "leaf": json.dumps(leaf)}
        text = text_of(with_script(page, script, ".click"))
        self.assertIn("render-check: ok", text)
        # Widths by bytes: the leaf's share of the benchmark's bytes.
        width = re.search(r"^bytes width: ([\d.]+)%$", text, re.M)
        self.assertIsNotNone(width, text)
        self.assertAlmostEqual(float(width.group(1)),
                               100 * totals[leaf][1] / totals[""][1], places=3)
        # A click zooms into the frame and shows its names and figures.
        self.assertIn("zoomed width: 100%", text.splitlines())
        function = deepest.split("\n")[-1]
        frame = next(f for f in stacks["frames"] if f["function"] == function)
        base = benchmark(load_json(STACKS_BASELINE), "BM_Dump")["alloc_stacks"]
        old = stack_totals(base)[deepest]
        allocs, bytes_ = totals[deepest]
        self.assertIn(
            f"info: {names[function]}: {per_iteration(allocs, n)} allocs/iter "
            f"({100 * allocs / totals[''][0]:.1f}%), "
            f"{per_iteration(bytes_, n)} bytes/iter "
            f"({100 * bytes_ / totals[''][1]:.1f}%); baseline: "
            f"{per_iteration(old[0], base['iterations'])} allocs/iter, "
            f"{per_iteration(old[1], base['iterations'])} bytes/iter"
            f"{function} at {frame['file']}:{frame['line']}",
            text.splitlines())

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
    (TOOL, BASELINE_BIN, CONTENDER_BIN, SITES_BASELINE, SITES_CONTENDER,
     STACKS_BASELINE, STACKS_CONTENDER) = map(os.path.abspath, sys.argv[1:8])
    del sys.argv[1:8]
    unittest.main(verbosity=2)
