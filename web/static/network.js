// The network view: draws the starting neighbourhood, then merges in each expanded node's.
(function () {
  "use strict";
  var container = document.getElementById("network-canvas");
  if (!container || typeof cytoscape === "undefined") { return; }
  if (typeof cytoscapeFcose !== "undefined") { cytoscape.use(cytoscapeFcose); }
  var layoutName = typeof cytoscapeFcose !== "undefined" ? "fcose" : "cose";
  var source = container.getAttribute("data-source");
  var list = document.getElementById("network-list");
  var status = document.getElementById("network-status");
  var expanded = {};

  var cy = cytoscape({
    container: container,
    minZoom: 0.2,
    maxZoom: 3,
    style: [
      { selector: "node", style: {
        "label": "data(label)", "font-size": 10, "text-wrap": "wrap", "text-max-width": 110,
        "text-valign": "bottom", "text-margin-y": 4, "color": "#1d2330",
        "text-background-color": "#ffffff", "text-background-opacity": 0.85,
        "text-background-padding": 2, "width": 22, "height": 22,
        "background-color": "#1f5fa8", "border-width": 2, "border-color": "#ffffff" } },
      { selector: "node[kind = 'event']", style: { "shape": "round-rectangle", "background-color": "#b86a00" } },
      { selector: "node[kind = 'fact']", style: { "shape": "diamond", "background-color": "#6a4c93" } },
      { selector: "node.expanded", style: { "border-color": "#1d2330", "border-width": 3 } },
      { selector: "node.center", style: { "width": 32, "height": 32, "font-weight": "bold" } },
      { selector: "node:selected", style: { "border-color": "#ffbf47", "border-width": 4 } },
      { selector: "edge", style: {
        "width": 1.5, "line-color": "#aab2c0", "curve-style": "bezier",
        "target-arrow-shape": "triangle", "target-arrow-color": "#aab2c0", "arrow-scale": 0.8,
        "font-size": 8, "color": "#5a6272", "text-rotation": "autorotate",
        "text-background-color": "#ffffff", "text-background-opacity": 0.8 } },
      // Edge labels only where the reader is looking: they crowd a star of twenty events.
      { selector: "edge.near, edge:selected", style: { "label": "data(label)", "line-color": "#1f5fa8" } }
    ]
  });

  function addToList(node) {
    if (list.querySelector('li[data-id="' + CSS.escape(node.id) + '"]')) { return; }
    var li = document.createElement("li");
    li.setAttribute("data-id", node.id);
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
    list.appendChild(li);
  }

  function merge(data) {
    var added = 0;
    cy.batch(function () {
      data.nodes.forEach(function (n) {
        if (cy.getElementById(n.id).empty()) {
          cy.add({ group: "nodes", data: { id: n.id, label: n.label, kind: n.kind, href: n.href } });
          added += 1;
        }
        addToList(n);
      });
      data.edges.forEach(function (e) {
        if (cy.getElementById(e.id).empty()) {
          cy.add({ group: "edges", data: { id: e.id, source: e.source, target: e.target, label: e.label } });
        }
      });
    });
    expanded[data.center] = true;
    cy.getElementById(data.center).addClass("expanded");
    var button = list.querySelector('button[data-id="' + CSS.escape(data.center) + '"]');
    if (button) { button.disabled = true; button.textContent = "Expanded"; }
    status.textContent = cy.nodes().length + " nodes, " + cy.edges().length + " edges";
    return added;
  }

  function relayout() {
    cy.layout({ name: layoutName, animate: false, randomize: false, nodeSeparation: 110,
      idealEdgeLength: 150, nodeRepulsion: 20000, fit: true, padding: 30 }).run();
  }

  function expand(id) {
    if (expanded[id]) { return Promise.resolve(); }
    status.textContent = "Loading the neighbours of " + id + "…";
    return fetch(source + "?id=" + encodeURIComponent(id), { headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
      .then(function (data) { if (merge(data) > 0) { relayout(); } })
      .catch(function (err) { status.textContent = "Could not expand " + id + ": " + err.message; });
  }

  var initial = JSON.parse(document.getElementById("network-data").textContent);
  merge(initial);
  cy.getElementById(initial.center).addClass("center");
  // Two rings around the start, alternating, leave each label room to breathe.
  var ring = 0;
  cy.layout({ name: "concentric", animate: false, fit: true, padding: 30, minNodeSpacing: 30,
    concentric: function (n) { return n.id() === initial.center ? 3 : (ring++ % 2 ? 1 : 2); },
    levelWidth: function () { return 1; } }).run();

  cy.on("tap", "node", function (evt) { expand(evt.target.id()); });
  cy.on("mouseover", "node", function (evt) { evt.target.connectedEdges().addClass("near"); });
  cy.on("mouseout", "node", function (evt) { evt.target.connectedEdges().removeClass("near"); });
  cy.on("dbltap", "node", function (evt) { window.location.href = evt.target.data("href"); });
  list.addEventListener("click", function (evt) {
    var button = evt.target.closest("button.expand");
    if (button) { expand(button.getAttribute("data-id")); }
  });
  // For the browser tests and the curious: the graph object, read-only by convention.
  window.diplographNetwork = { cy: cy, expand: expand };
}());
