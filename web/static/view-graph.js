// The editor's graph view (a YASR plugin): CONSTRUCT and DESCRIBE results, or a SELECT with
// two IRI columns (an edge per row), drawn with Cytoscape.js and fcose, loaded on first use.
// Nodes are the IRIs and blank nodes; a literal under a label or name property names its
// subject. The canvas is for the eye; the list below it holds every edge in words, with
// links to the entity pages, and the zoom buttons work by keyboard.
(function () {
  "use strict";
  var V = window.diplographViews;
  if (!V) { return; }
  var MAX_EDGES = 1000;
  var NAMING = /(#|\/)(label|prefLabel|name|title)$/;

  function isNode(term) { return term && (term.type === "uri" || term.type === "bnode"); }

  // [subject, predicate or null, object] for each edge the result describes.
  function edgesOf(yasr) {
    var cols = V.columns(yasr);
    if (yasr.results.getType() === "ttl") {
      return cols.rows.map(function (r) { return [r.subject, r.predicate, r.object]; });
    }
    var iris = V.ofKind(cols, "iri");
    return cols.rows.map(function (r) { return [r[iris[0]], { type: "literal", value: iris[0] + " → " + iris[1] }, r[iris[1]]]; });
  }

  function GraphView(yasr) { this.yasr = yasr; this.priority = 11; this.label = "Graph"; }
  GraphView.prototype.canHandleResults = function () {
    var r = this.yasr.results;
    if (!r || r.hasError() || !(r.getBindings() || []).length) { return false; }
    if (r.getType() === "ttl") { return true; }
    return V.hasRows(this.yasr) && V.ofKind(V.columns(this.yasr), "iri").length >= 2;
  };
  GraphView.prototype.getIcon = function () { return V.svgIcon("M4 4L12 6M4 4L6 12M12 6L6 12M4 4h0M12 6h0M6 12h0"); };
  GraphView.prototype.draw = function () {
    var self = this, fig = V.frame(this.yasr, "graph", "");
    var model = build(edgesOf(this.yasr));
    return V.load("graph").then(function () { self.cy = render(fig, model); })
      .catch(function (e) { V.failed(fig, e); });
  };
  GraphView.prototype.destroy = function () { if (this.cy) { this.cy.destroy(); this.cy = null; } };

  function build(triples) {
    var nodes = {}, edges = [], literals = 0;
    function node(term) {
      var id = (term.type === "bnode" ? "_:" : "") + term.value;
      if (!nodes[id]) {
        nodes[id] = { id: id, label: term.type === "bnode" ? "(blank node)" : V.shortIri(term.value),
          href: term.type === "uri" ? V.localHref(term.value) : null };
      }
      return nodes[id];
    }
    triples.forEach(function (t) {
      if (!isNode(t[0])) { return; }
      var s = node(t[0]);
      if (isNode(t[2])) {
        if (edges.length < MAX_EDGES) { edges.push({ source: s, target: node(t[2]), label: t[1].type === "uri" ? V.shortIri(t[1].value) : "" }); }
      } else if (t[1] && t[1].type === "uri" && NAMING.test(t[1].value)) {
        s.label = t[2].value;
      } else {
        literals += 1;
      }
    });
    return { nodes: Object.keys(nodes).map(function (k) { return nodes[k]; }), edges: edges, literals: literals, cut: triples.length > MAX_EDGES };
  }

  function render(fig, model) {
    fig.caption.textContent = "Graph of " + model.nodes.length + " node" + (model.nodes.length === 1 ? "" : "s") + " and " +
      model.edges.length + " link" + (model.edges.length === 1 ? "" : "s") + (model.cut ? " (the first " + MAX_EDGES + ")" : "") +
      (model.literals ? "; " + model.literals + " literal values are in the table" : "") + ".";
    var box = document.createElement("div");
    box.className = "dg-graph-canvas";
    box.setAttribute("role", "img");
    box.setAttribute("aria-label", fig.caption.textContent + " The list below gives every link in words.");
    fig.canvas.appendChild(box);
    if (typeof cytoscapeFcose !== "undefined" && !render.registered) { cytoscape.use(cytoscapeFcose); render.registered = true; }
    var cy = cytoscape({
      container: box, minZoom: 0.1, maxZoom: 4,
      elements: model.nodes.map(function (n) { return { data: { id: n.id, label: n.label } }; })
        .concat(model.edges.map(function (e, i) { return { data: { id: "e" + i, source: e.source.id, target: e.target.id, label: e.label } }; })),
      style: [
        { selector: "node", style: { "label": "data(label)", "font-size": 11, "text-valign": "bottom", "text-margin-y": 3,
          "text-wrap": "ellipsis", "text-max-width": 120, "min-zoomed-font-size": 8, "color": "#1d2330",
          "background-color": "#1f5fa8", "width": 16, "height": 16 } },
        { selector: "edge", style: { "width": 1.2, "line-color": "#aab2c0", "curve-style": "bezier",
          "target-arrow-shape": "triangle", "target-arrow-color": "#aab2c0", "arrow-scale": 0.8 } },
        { selector: "edge:selected", style: { "label": "data(label)", "font-size": 9, "line-color": "#1f5fa8" } }
      ],
      layout: { name: typeof cytoscapeFcose !== "undefined" ? "fcose" : "cose", animate: false, randomize: true }
    });
    buttons(fig, cy);
    V.textList(fig, "The graph as text (each link: subject, property, object)", model.edges.map(function (e) {
      return { text: e.source.label + " — " + (e.label || "linked to") + " → " + e.target.label, href: e.source.href };
    }).concat(model.nodes.filter(function (n) { return !model.edges.some(function (e) { return e.source === n || e.target === n; }); })
      .map(function (n) { return { text: n.label + " (no links)", href: n.href }; })));
    return cy;
  }

  function buttons(fig, cy) {
    var bar = document.createElement("div");
    bar.className = "dg-graph-buttons";
    [["Fit", function () { cy.fit(undefined, 20); }], ["Zoom in", function () { cy.zoom(cy.zoom() * 1.3); }],
      ["Zoom out", function () { cy.zoom(cy.zoom() / 1.3); }]].forEach(function (b) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "secondary";
      button.textContent = b[0];
      button.addEventListener("click", b[1]);
      bar.appendChild(button);
    });
    fig.figure.insertBefore(bar, fig.canvas);
  }

  V.register("graph", GraphView);
}());
