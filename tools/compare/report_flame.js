// The flame graphs (icicles) of the page: each .flame element holds its
// trees as JSON (.fg-data, written by flame.py: {"contender": {...},
// "baseline": {...}}, each {"iterations", "root"}); this draws one of them
// as boxes in .fg-graph, a box's width its share of the allocations (or
// bytes) of the frame the graph is zoomed into. A box's title holds its
// names and figures; a click shows them in .fg-info and zooms into the
// frame; a click on a frame above the zoomed one zooms out to it. A label
// that does not fit its box loses its outer qualifiers first, as the console
// cuts names (FitName() of alloc_counter/site_names.h).
(function () {
  var ROW = 18;  // px between levels
  var PADDING = 9;  // px of a box's padding, left and right

  // `name` cut to at most `columns` characters: its outermost qualifiers
  // replaced by '…' at a '::' outside brackets where the rest then fits,
  // else its end.
  function fitName(name, columns) {
    if (name.length <= columns) return name;
    if (columns <= 0) return '';
    var depth = 0;
    for (var i = 0; i + 1 < name.length; i++) {
      var c = name.charAt(i);
      if (c === '(' || c === '<' || c === '{') {
        depth++;
      } else if (c === ')' || c === '>' || c === '}') {
        depth--;
      } else if (depth === 0 && c === ':' && name.charAt(i + 1) === ':') {
        var rest = name.substring(i + 2);
        if (rest.length + 1 <= columns) return '\u2026' + rest;
        i++;
      }
    }
    return name.substring(0, columns - 1) + '\u2026';
  }

  function byWeight(metric) {
    return function (x, y) {
      return y[metric] - x[metric] || (x.n < y.n ? -1 : x.n > y.n ? 1 : 0);
    };
  }

  function percent(part, whole) {
    return whole ? (100 * part / whole).toFixed(1) + '%' : '-';
  }

  function tip(node, root) {
    var lines = [node.n];
    if (node.f !== node.n) lines.push(node.f);
    if (node.w) lines.push('at ' + node.w);
    lines.push('allocs/iter: ' + node.ai + ' (' + percent(node.a, root.a) +
               ')');
    lines.push('bytes/iter: ' + node.bi + ' (' + percent(node.b, root.b) +
               ')');
    if (node.d) lines.push(node.d);
    return lines.join('\n');
  }

  function setUp(flame) {
    var data = JSON.parse(flame.querySelector('.fg-data').textContent);
    var graph = flame.querySelector('.fg-graph');
    var info = flame.querySelector('.fg-info');
    var state = {side: data.contender ? 'contender' : 'baseline',
                 metric: 'a', zoom: null};
    var charWidth = 0;  // px of a character of a box's label, once drawn
    // Parent links, for the frames above the zoomed one.
    function link(node, parent) {
      node.parent = parent;
      for (var i = 0; i < node.c.length; i++) link(node.c[i], node);
    }
    for (var side in data) link(data[side].root, null);

    function show(node) {
      var root = data[state.side].root;
      info.textContent = '';
      var head = document.createElement('div');
      var name = document.createElement('b');
      name.textContent = node.n;
      head.appendChild(name);
      head.appendChild(document.createTextNode(
          ': ' + node.ai + ' allocs/iter (' + percent(node.a, root.a) +
          '), ' + node.bi + ' bytes/iter (' + percent(node.b, root.b) +
          ')' + (node.d ? '; ' + node.d : '')));
      info.appendChild(head);
      if (node.f !== node.n || node.w) {
        var full = document.createElement('div');
        full.className = 'fg-full';
        full.textContent = node.f + (node.w ? ' at ' + node.w : '');
        info.appendChild(full);
      }
    }

    function box(node, left, width, depth, css) {
      var root = data[state.side].root;
      var element = document.createElement('div');
      element.className = 'fg-box ' + node.k + css;
      element.style.left = left.toFixed(4) + '%';
      element.style.width = width.toFixed(4) + '%';
      element.style.top = depth * ROW + 'px';
      element.title = tip(node, root);
      element.setAttribute('data-path', node.p);
      element.setAttribute('data-allocs', node.ai);
      element.setAttribute('data-bytes', node.bi);
      // Unmeasurable (the graph hidden): the whole name, cut by the CSS.
      var px = graph.getBoundingClientRect().width * width / 100;
      element.textContent = charWidth && px ? fitName(
          node.n, Math.floor((px - PADDING) / charWidth)) : node.n;
      element.addEventListener('click', function () {
        state.zoom = node;
        draw();
        show(node);
      });
      graph.appendChild(element);
    }

    function draw() {
      if (!charWidth) {
        var probe = document.createElement('div');
        probe.className = 'fg-box';
        probe.textContent = 'MMMMMMMMMMMMMMMMMMMM';
        graph.appendChild(probe);
        charWidth = (probe.getBoundingClientRect().width - PADDING) / 20;
        if (charWidth <= 0) charWidth = 0;
      }
      var metric = state.metric;
      var zoom = state.zoom || data[state.side].root;
      graph.textContent = '';
      var outer = [];
      for (var up = zoom.parent; up; up = up.parent) outer.unshift(up);
      for (var i = 0; i < outer.length; i++) {
        box(outer[i], 0, 100, i, ' fg-outer');
      }
      var deepest = outer.length;
      var total = zoom[metric];
      (function lay(node, left, width, depth) {
        box(node, left, width, depth, node === zoom ? ' selected' : '');
        deepest = Math.max(deepest, depth);
        var children = node.c.slice().sort(byWeight(metric));
        for (var j = 0; j < children.length; j++) {
          var w = total ? 100 * children[j][metric] / total : 0;
          if (w <= 0) continue;
          lay(children[j], left, w, depth + 1);
          left += w;
        }
      })(zoom, 0, 100, outer.length);
      graph.style.height = (deepest + 1) * ROW + 'px';
    }

    var radios = flame.querySelectorAll('input[type=radio]');
    for (var r = 0; r < radios.length; r++) {
      radios[r].addEventListener('change', function (event) {
        if (event.target.value === 'a' || event.target.value === 'b') {
          state.metric = event.target.value;
        } else {
          state.side = event.target.value;
          state.zoom = null;
        }
        draw();
        show(state.zoom || data[state.side].root);
      });
    }
    window.addEventListener('resize', draw);
    draw();
    show(data[state.side].root);
  }

  var flames = document.querySelectorAll('.flame');
  for (var i = 0; i < flames.length; i++) setUp(flames[i]);
})();
