// The network view: draws the focus and expanded neighbourhoods, merges in each newly
// expanded node's, takes a node's leaves away on collapse, filters by kind and by date,
// and keeps the whole view (focus, expanded nodes, filters) in the address.
(function () {
  "use strict";
  var container = document.getElementById("network-canvas");
  if (!container || typeof cytoscape === "undefined") { return; }
  if (typeof cytoscapeFcose !== "undefined") { cytoscape.use(cytoscapeFcose); }
  var layoutName = typeof cytoscapeFcose !== "undefined" ? "fcose" : "cose";
  var source = container.getAttribute("data-source");
  var list = document.getElementById("network-list");
  var status = document.getElementById("network-status");
  var state = JSON.parse(document.getElementById("network-state").textContent);
  var expanded = {};
  var LABEL_PX = 12, LABEL_WIDTH = 130;  // a label's size and width on screen, in pixels

  var cy = cytoscape({
    container: container,
    minZoom: 0.1,
    maxZoom: 4,
    style: [
      // Labels keep one size on screen at every zoom (see fitLabels), and a label is drawn
      // only where it overlaps no label already placed: at 150 nodes the overview names
      // the hubs, and zooming in names the rest.
      { selector: "node", style: {
        "label": "data(label)", "font-size": LABEL_PX, "text-wrap": "ellipsis", "text-max-width": LABEL_WIDTH,
        "text-valign": "bottom", "color": "#1d2330", "min-zoomed-font-size": 0,
        "text-opacity": 0, "text-background-opacity": 0,
        "text-background-color": "#ffffff", "text-background-padding": 2, "width": 18, "height": 18,
        "background-color": "#1f5fa8", "border-width": 2, "border-color": "#ffffff" } },
      { selector: "node.labelled, node.near, node:selected", style: { "text-opacity": 1, "text-background-opacity": 0.85 } },
      { selector: "node.hub", style: { "font-weight": "bold", "width": 26, "height": 26 } },
      { selector: "node[kind = 'event']", style: { "shape": "round-rectangle", "background-color": "#b86a00" } },
      { selector: "node[kind = 'fact']", style: { "shape": "diamond", "background-color": "#6a4c93" } },
      { selector: "node[kind = 'place']", style: { "shape": "hexagon", "background-color": "#1d7a46" } },
      { selector: "node.expanded", style: { "border-color": "#1d2330", "border-width": 3 } },
      { selector: "node.center", style: { "width": 32, "height": 32, "font-weight": "bold" } },
      { selector: "node:selected, node.near", style: { "border-color": "#ffbf47", "border-width": 4, "z-index": 10 } },
      { selector: ".hidden", style: { "display": "none" } },
      { selector: "edge", style: {
        "width": 1.5, "line-color": "#aab2c0", "curve-style": "bezier",
        "target-arrow-shape": "triangle", "target-arrow-color": "#aab2c0", "arrow-scale": 0.8,
        "font-size": 9, "color": "#5a6272", "text-rotation": "autorotate",
        "text-background-color": "#ffffff", "text-background-opacity": 0.9 } },
      // Edge labels only where the reader is looking: they crowd a star of twenty events.
      { selector: "edge.near, edge:selected", style: { "label": "data(label)", "line-color": "#1f5fa8", "z-index": 9 } }
    ]
  });

  function addToList(node) {
    if (list.querySelector('li[data-id="' + CSS.escape(node.id) + '"]')) { return; }
    var li = document.createElement("li");
    li.setAttribute("data-id", node.id);
    li.setAttribute("data-kind", node.kind);
    var a = document.createElement("a");
    a.href = node.href;
    a.textContent = node.label;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary expand";
    button.setAttribute("data-id", node.id);
    button.textContent = "Expand";
    li.appendChild(a);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(button);
    // Keep the list sorted by name, as the server sends it.
    var after = Array.prototype.find.call(list.children, function (other) {
      return other.querySelector("a").textContent.localeCompare(node.label) > 0;
    });
    list.insertBefore(li, after || null);
  }

  function markExpanded(id, on) {
    var button = list.querySelector('button[data-id="' + CSS.escape(id) + '"]');
    if (button) { button.textContent = on ? "Collapse" : "Expand"; button.classList.toggle("collapse", on); }
    cy.getElementById(id).toggleClass("expanded", on);
  }

  function merge(data, from) {
    var added = 0, origin = from ? cy.getElementById(from).position() : { x: 0, y: 0 };
    cy.batch(function () {
      data.nodes.forEach(function (n, i) {
        if (cy.getElementById(n.id).empty()) {
          var angle = i * 2.4;  // a spiral beside the node that brought them, not a pile at 0,0
          cy.add({ group: "nodes", data: n, position: {
            x: origin.x + (30 + 4 * i) * Math.cos(angle), y: origin.y + (30 + 4 * i) * Math.sin(angle) } });
          added += 1;
        }
        addToList(n);
      });
      data.edges.forEach(function (e) {
        if (cy.getElementById(e.id).empty() && !cy.getElementById(e.source).empty() && !cy.getElementById(e.target).empty()) {
          cy.add({ group: "edges", data: { id: e.id, source: e.source, target: e.target, label: e.label } });
        }
      });
    });
    return added;
  }

  function refresh() {
    cy.nodes().forEach(function (n) { n.toggleClass("hub", n.degree() >= 6); });
    applyFilters();
    fitLabels();
    var shown = cy.nodes().not(".hidden");
    status.textContent = shown.length + " nodes, " + cy.edges().not(".hidden").length + " edges";
    container.setAttribute("aria-label", "Graph of " + shown.length + " actors, events and facts; the list beside it holds the same nodes");
    saveState();
  }

  // fcose from scratch for a drawing of many neighbourhoods at once; from the present
  // positions (new nodes start beside the node that brought them) after one expansion,
  // so what the reader has already seen stays where it was.
  function relayout(fresh) {
    cy.layout({ name: layoutName, animate: false, randomize: Boolean(fresh), nodeSeparation: 120,
      idealEdgeLength: 100, nodeRepulsion: 200000, gravity: 0.1, fit: true, padding: 30,
      packComponents: true, quality: "default" }).run();
    fitLabels();
  }

  function rank(n) {
    if (n.id() === state.focus) { return 1e9; }
    return (n.hasClass("hub") ? 2e6 : 0) + (expanded[n.id()] ? 1e6 : 0) + n.degree();
  }

  // Labels keep one size on screen whatever the zoom (their style is divided by it) and
  // are drawn in order of importance (the focus, hubs, expanded nodes, then by degree),
  // each below, above, right or left of its node, wherever it covers no label already
  // drawn; the others show on zooming in, on hover, and when their entry in the list has
  // the focus.
  var SPOTS = [["bottom", "center", 0, 3], ["top", "center", 0, -3], ["center", "right", 4, 0], ["center", "left", -4, 0]];

  function labelAt(n, spot, z) {
    n.style({ "text-valign": spot[0], "text-halign": spot[1], "text-margin-x": spot[2] / z, "text-margin-y": spot[3] / z });
    return n.renderedBoundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeOverlays: false });
  }

  function fitLabels() {
    var z = cy.zoom(), gap = 2, placed = [], w = cy.width(), h = cy.height();
    cy.nodes().style({ "font-size": LABEL_PX / z, "text-max-width": LABEL_WIDTH / z,
      "text-background-padding": 2 / z });
    var order = cy.nodes().not(".hidden").sort(function (a, b) {
      return rank(b) - rank(a) || a.data("label").localeCompare(b.data("label"));
    });
    order.forEach(function (n) {
      var box = null;
      SPOTS.some(function (spot) {
        var b = labelAt(n, spot, z), at = n.renderedPosition();
        var seen = at.x >= 0 && at.x <= w && at.y >= 0 && at.y <= h;  // a node in view keeps its label in view
        var free = !(seen && (b.x1 < 0 || b.y1 < 0 || b.x2 > w || b.y2 > h)) && placed.every(function (p) {
          return b.x2 + gap <= p.x1 || p.x2 + gap <= b.x1 || b.y2 + gap <= p.y1 || p.y2 + gap <= b.y1;
        });
        if (free) { box = b; }
        return free;
      });
      if (box) { placed.push(box); } else { labelAt(n, SPOTS[0], z); }
      n.toggleClass("labelled", Boolean(box));
    });
    labelRuns += 1;
    labelZoom = z;
    container.setAttribute("data-labelled", String(placed.length));
  }
  var labelRuns = 0, labelZoom = null, labelTimer = null;
  cy.on("viewport", function () {
    if (labelTimer) { clearTimeout(labelTimer); }
    labelTimer = setTimeout(function () { labelTimer = null; fitLabels(); }, 80);
  });

  function expand(id) {
    if (expanded[id]) { return Promise.resolve(); }
    status.textContent = "Loading the neighbours of " + id + "…";
    return fetch(source + "?id=" + encodeURIComponent(id), { headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
      .then(function (data) {
        expanded[id] = true;
        markExpanded(id, true);
        if (merge(data, id) > 0) { relayout(false); }
        refresh();
      })
      .catch(function (err) { status.textContent = "Could not expand " + id + ": " + err.message; });
  }

  // Collapse: take away the neighbours that hang on this node alone (not the focus, not
  // another expanded node), then the node reads "Expand" again.
  function collapse(id) {
    var node = cy.getElementById(id);
    var leaves = node.neighborhood("node").filter(function (n) {
      return n.id() !== state.focus && !expanded[n.id()] && n.degree() <= 1;
    });
    leaves.forEach(function (n) {
      var li = list.querySelector('li[data-id="' + CSS.escape(n.id()) + '"]');
      if (li) { li.remove(); }
    });
    cy.remove(leaves);
    delete expanded[id];
    markExpanded(id, false);
    refresh();
  }

  function applyFilters() {
    var kinds = Array.prototype.map.call(
      document.querySelectorAll('#network-filters input[name="kinds"]:checked'), function (i) { return i.value; });
    var from = document.getElementById("network-from").value, to = document.getElementById("network-to").value;
    state.kinds = kinds;
    state.from = from;
    state.to = to;
    cy.batch(function () {
      cy.nodes().forEach(function (n) {
        var d = n.data();
        var outside = d.start && ((from && d.end < from) || (to && d.start > to));
        var hide = n.id() !== state.focus && (kinds.indexOf(d.kind) < 0 || outside);
        n.toggleClass("hidden", Boolean(hide));
        var li = list.querySelector('li[data-id="' + CSS.escape(n.id()) + '"]');
        if (li) { li.hidden = Boolean(hide); }
      });
      cy.edges().forEach(function (e) {
        e.toggleClass("hidden", e.source().hasClass("hidden") || e.target().hasClass("hidden"));
      });
    });
  }

  function stateUrl() {
    var params = new URLSearchParams();
    params.set("focus", state.focus);
    var more = Object.keys(expanded).filter(function (id) { return id !== state.focus; }).sort();
    if (more.length) { params.set("expanded", more.join(",")); }
    if (state.kinds.length && state.kinds.length < 4) { params.set("kinds", state.kinds.join(",")); }
    if (state.from) { params.set("from", state.from); }
    if (state.to) { params.set("to", state.to); }
    return window.location.pathname + "?" + params.toString();
  }

  function saveState() {
    var url = stateUrl();
    window.history.replaceState(null, "", url);
    document.getElementById("network-share").href = url;
  }

  var initial = JSON.parse(document.getElementById("network-data").textContent);
  merge(initial);
  (initial.expanded || [initial.center]).forEach(function (id) { expanded[id] = true; markExpanded(id, true); });
  cy.getElementById(initial.center).addClass("center");
  if ((initial.expanded || []).length > 1) {
    relayout(true);
  } else {
    // Two rings around the start, alternating, leave each label room to breathe.
    var ring = 0;
    cy.layout({ name: "concentric", animate: false, fit: true, padding: 30, minNodeSpacing: 30,
      concentric: function (n) { return n.id() === initial.center ? 3 : (ring++ % 2 ? 1 : 2); },
      levelWidth: function () { return 1; } }).run();
    fitLabels();
  }
  refresh();

  cy.on("tap", "node", function (evt) { expand(evt.target.id()); });
  cy.on("mouseover", "node", function (evt) { evt.target.connectedEdges().addClass("near"); });
  cy.on("mouseout", "node", function (evt) { evt.target.connectedEdges().removeClass("near"); });
  cy.on("mouseover", "edge", function (evt) { evt.target.addClass("near"); });
  cy.on("mouseout", "edge", function (evt) { evt.target.removeClass("near"); });
  cy.on("dbltap", "node", function (evt) { window.location.href = evt.target.data("href"); });
  list.addEventListener("click", function (evt) {
    var button = evt.target.closest("button.expand");
    if (!button) { return; }
    var id = button.getAttribute("data-id");
    if (expanded[id]) { collapse(id); } else { expand(id); }
  });
  // Focus on a list entry shows where its node is, and its edges with their labels.
  list.addEventListener("focusin", function (evt) {
    var li = evt.target.closest("li");
    cy.elements().removeClass("near");
    if (li) { var n = cy.getElementById(li.getAttribute("data-id")); n.addClass("near"); n.connectedEdges().addClass("near"); }
  });
  document.getElementById("network-filters").addEventListener("change", refresh);
  document.getElementById("network-fit").addEventListener("click", function () { cy.fit(cy.nodes().not(".hidden"), 30); });
  document.getElementById("network-zoom-in").addEventListener("click", function () {
    cy.zoom({ level: cy.zoom() * 1.4, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  });
  document.getElementById("network-zoom-out").addEventListener("click", function () {
    cy.zoom({ level: cy.zoom() / 1.4, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  });
  // For the browser tests and the curious: the graph object, read-only by convention.
  window.diplographNetwork = { cy: cy, expand: expand, collapse: collapse, url: stateUrl, merge: merge,
    relayout: relayout, refresh: refresh, labelRuns: function () { return labelRuns; },
    // whether the labels were last placed at the present zoom (not still waiting on one)
    labelsSettled: function () { return labelZoom === cy.zoom() && labelTimer === null; } };
}());
