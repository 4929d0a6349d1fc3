/* policykg interactive graph page: draws the graph embedded in #graph-data with vis-network.
 * Every text from the data is set with textContent (never innerHTML), so labels stay text. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var FONT = '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';
  var big = data.nodes.length > 300;
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  var types = {};
  data.types.forEach(function (t) { types[t.type] = t; });

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  document.title = data.title;
  document.getElementById("title").textContent = data.title;
  document.getElementById("summary").textContent =
    data.nodes.length + " 个节点 · " + data.edges.length + " 条关系" + (data.selection ? " · " + data.selection : "");

  var SHAPES = { PolicyDocument: "diamond", Target: "triangle" };
  // small labels vanish when zoomed out (drawThreshold), so the overview shows documents, sections and units
  var FONT_SIZES = { PolicyDocument: 20, Target: 10, Mention: 10 };
  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    return {
      id: n.id, label: n.short, group: n.type, shape: SHAPES[n.type] || "dot",
      font: { size: FONT_SIZES[n.type] || (n.degree >= 6 ? 17 : 14) },
      size: 7 + 2.6 * Math.sqrt(n.degree), color: { background: n.color, border: "#ffffff",
        highlight: { background: n.color, border: "#263238" }, hover: { background: n.color, border: "#263238" } },
      borderWidth: 1.5
    };
  }));
  var edges = new vis.DataSet(data.edges.map(function (e) {
    return { id: e.id, from: e.from, to: e.to, dashes: e.relation === "isPartOf" };
  }));

  var container = document.getElementById("graph");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, {
    autoResize: true,
    layout: { improvedLayout: data.nodes.length <= 150, randomSeed: 7 },
    nodes: { font: { face: FONT, size: 14, color: "#263238", strokeWidth: 3, strokeColor: "#ffffff" },
             scaling: { label: { enabled: false, drawThreshold: 6 } } },
    edges: {
      arrows: { to: { enabled: true, scaleFactor: 0.45 } }, width: 1,
      color: { color: "#b0bec5", highlight: "#37474f", hover: "#546e7a" },
      font: { face: FONT, size: 11, color: "#455a64", strokeWidth: 3, strokeColor: "#ffffff", align: "middle" },
      smooth: big ? false : { type: "continuous", roundness: 0.3 }
    },
    physics: {
      solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -70, centralGravity: 0.012, springLength: 70, springConstant: 0.08,
                          avoidOverlap: 0.5 },
      stabilization: { enabled: true, iterations: Math.max(60, Math.min(600, Math.round(120000 / Math.max(1, data.nodes.length)))),
                       updateInterval: 50, fit: true }
    },
    interaction: { hover: true, hideEdgesOnDrag: big, hideEdgesOnZoom: big, keyboard: false, multiselect: false }
  });

  var api = window.policykg = {
    ready: false, nodes: data.nodes.length, edges: data.edges.length, network: network, shown: null,
    positionOf: function (id) {
      var p = network.getPositions([id])[id];
      var d = network.canvasToDOM(p);
      var r = container.getBoundingClientRect();
      return { x: r.left + d.x, y: r.top + d.y };
    },
    select: function (id) { show(id, true); }
  };
  function ready() {
    if (api.ready) return;
    network.setOptions({ physics: false });
    network.fit();
    api.ready = true;
    document.body.setAttribute("data-ready", "true");
  }
  network.once("stabilizationIterationsDone", ready);
  setTimeout(ready, 15000);  // never leave a huge graph unusable

  // ------------------------------------------------------------ legend
  var hidden = {};
  var legend = document.getElementById("legend");
  data.types.forEach(function (t) {
    var li = el("li");
    li.setAttribute("data-type", t.type);
    li.title = t.name_en;
    var sw = el("span", null, "swatch");
    sw.style.background = t.color;
    li.appendChild(sw);
    li.appendChild(el("span", t.name));
    li.appendChild(el("span", t.count, "count"));
    li.addEventListener("click", function () {
      hidden[t.type] = !hidden[t.type];
      li.classList.toggle("off", hidden[t.type]);
      nodes.update(data.nodes.filter(function (n) { return n.type === t.type; })
        .map(function (n) { return { id: n.id, hidden: !!hidden[t.type] }; }));
    });
    legend.appendChild(li);
  });

  // ------------------------------------------------------------ card
  var labelled = [];
  function show(id, focus) {
    var n = byId[id];
    if (!n) return;
    api.shown = id;
    if (hidden[n.type]) legend.querySelector('li[data-type="' + n.type + '"]').click();
    network.selectNodes([id]);
    if (focus) network.focus(id, { scale: Math.max(network.getScale(), 1.1), animation: { duration: 300 } });
    // edge labels only around the selected node, so the whole graph stays readable
    edges.update(labelled.map(function (e) { return { id: e, label: "" }; }));
    labelled = network.getConnectedEdges(id);
    edges.update(labelled.map(function (e) { return { id: e, label: edgeById[e].label }; }));

    document.getElementById("card").hidden = false;
    document.getElementById("card-title").textContent = n.label;
    var chip = el("span", (types[n.type] || {}).name || n.type);
    chip.style.background = n.color;
    chip.style.color = n.text_color;
    var typeLine = document.getElementById("card-type");
    typeLine.replaceChildren(chip);
    var dl = document.getElementById("card-attrs");
    dl.replaceChildren();
    n.card.forEach(function (kv) { dl.appendChild(el("dt", kv[0])); dl.appendChild(el("dd", kv[1])); });
    var list = document.getElementById("card-neighbours");
    list.replaceChildren();
    // "—牵头单位→ 区科委" for this node's own edges, "2.1 … —牵头单位→" for edges that point at it
    var links = (outgoing[id] || []).map(function (e) { return [e, e.to, true]; })
      .concat((incoming[id] || []).map(function (e) { return [e, e.from, false]; }));
    document.getElementById("card-count").textContent = "(" + links.length + ")";
    links.forEach(function (l) {
      var other = byId[l[1]];
      var li = el("li");
      var rel = el("span", "—" + l[0].label + "→", "rel");
      var b = el("button", other ? other.label : l[1]);
      b.type = "button";
      b.addEventListener("click", function () { show(l[1], true); });
      if (l[2]) { li.appendChild(rel); li.appendChild(b); } else { li.appendChild(b); li.appendChild(rel); }
      list.appendChild(li);
    });
  }
  var edgeById = {}, outgoing = {}, incoming = {};
  data.edges.forEach(function (e) {
    edgeById[e.id] = e;
    (outgoing[e.from] = outgoing[e.from] || []).push(e);
    (incoming[e.to] = incoming[e.to] || []).push(e);
  });
  network.on("click", function (p) { if (p.nodes.length) show(p.nodes[0], false); });

  // ------------------------------------------------------------ search
  var input = document.getElementById("search");
  var box = document.getElementById("matches");
  var found = [], active = 0;
  data.nodes.forEach(function (n) { n._text = (n.label + "\n" + n.search).toLowerCase(); });
  function search(q) {
    q = q.trim().toLowerCase();
    if (!q) return [];
    var hits = [];
    data.nodes.forEach(function (n) {
      var i = n._text.indexOf(q);
      if (i >= 0) hits.push([n.label.toLowerCase() === q ? 0 : i === 0 ? 1 : 2, n.label.length, n]);
    });
    hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    return hits.slice(0, 30).map(function (h) { return h[2]; });
  }
  function render() {
    box.replaceChildren();
    if (!input.value.trim()) { box.hidden = true; return; }
    if (!found.length) { box.appendChild(el("li", "没有匹配 No match", "empty")); }
    found.forEach(function (n, i) {
      var li = el("li", null, i === active ? "active" : "");
      li.appendChild(el("span", (types[n.type] || {}).name || n.type, "kind"));
      li.appendChild(el("span", n.label));
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); pick(i); });
      box.appendChild(li);
    });
    box.hidden = false;
  }
  function pick(i) {
    if (!found[i]) return;
    show(found[i].id, true);
    box.hidden = true;
  }
  input.addEventListener("input", function () { found = search(input.value); active = 0; render(); });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { ev.preventDefault(); pick(active); }
    else if (ev.key === "ArrowDown") { active = Math.min(active + 1, found.length - 1); render(); ev.preventDefault(); }
    else if (ev.key === "ArrowUp") { active = Math.max(active - 1, 0); render(); ev.preventDefault(); }
    else if (ev.key === "Escape") { box.hidden = true; }
  });
  input.addEventListener("blur", function () { box.hidden = true; });
  api.search = function (q) { return search(q).map(function (n) { return n.id; }); };
})();
