// Result views for the SPARQL editor, as YASR plugins: chart, timeline, map and graph (in
// view-chart.js, view-map.js, view-graph.js). Each is offered when the results have the
// columns it needs; a fresh result opens in the most specific view that fits (map, then
// timeline, chart, graph, table), and the buttons above the results switch by hand. This
// file holds what they share: the kind of each column, loading the drawing libraries on
// first use (from the app's /vendor, never a CDN), the frame with its text alternative and
// its way back to the table, and links from IRIs to the local entity pages.
(function () {
  "use strict";
  if (typeof Yasgui === "undefined") { return; }
  var Yasr = Yasgui.Yasr;
  var holder = document.getElementById("yasgui");
  var vendor = holder.getAttribute("data-vendor");
  var idNamespace = holder.getAttribute("data-id-namespace");
  var bundles = JSON.parse(document.getElementById("view-scripts").textContent);
  var XSD = "http://www.w3.org/2001/XMLSchema#";
  var NUMERIC = ["integer", "decimal", "double", "float", "int", "long", "short", "byte",
    "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
    "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte"];
  var DATES = ["date", "dateTime", "dateTimeStamp", "gYearMonth", "gYear"];
  var NUM = "(-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?)";
  var WKT = new RegExp("^\\s*(?:<[^>]*>\\s*)?POINT\\s*\\(\\s*" + NUM + "\\s+" + NUM + "\\s*\\)\\s*$", "i");
  var LAT = /^(lat|latitude)$/i, LONG = /^(long|lon|lng|longitude)$/i;
  var MAX_TEXT_ITEMS = 300;  // lines in a view's text alternative

  // --- columns ---------------------------------------------------------------------------
  function kindOf(term) {
    if (!term) { return ""; }
    if (term.type === "uri") { return "iri"; }
    if (term.type === "bnode") { return "bnode"; }
    var dt = term.datatype || "";
    if (dt.indexOf(XSD) === 0) {
      var local = dt.slice(XSD.length);
      if (NUMERIC.indexOf(local) >= 0) { return isFinite(parseFloat(term.value)) ? "number" : "text"; }
      if (DATES.indexOf(local) >= 0) { return toDate(term) ? "date" : "text"; }
    }
    return WKT.test(term.value) ? "wkt" : "text";
  }

  // The results' variables, rows, and each column's kind: the one kind all its bound values
  // share ("number", "date", "iri", "bnode", "wkt", "text"), "mixed", or "" when unbound.
  function columns(yasr) {
    var results = yasr.results;
    if (results.dgColumns) { return results.dgColumns; }
    var vars = results.getVariables() || [], rows = results.getBindings() || [], kinds = {};
    vars.forEach(function (v) {
      var kind = "";
      for (var i = 0; i < rows.length; i++) {
        var k = kindOf(rows[i][v]);
        if (k && kind && k !== kind) { kind = "mixed"; break; }
        kind = k || kind;
      }
      kinds[v] = kind;
    });
    results.dgColumns = { vars: vars, rows: rows, kinds: kinds };
    return results.dgColumns;
  }

  function ofKind(cols, kind) {
    return cols.vars.filter(function (v) { return cols.kinds[v] === kind; });
  }

  // Rows from a SELECT (not an error, an ASK or a graph).
  function hasRows(yasr) {
    var r = yasr.results;
    return !!r && !r.hasError() && r.getType() === "json" && (r.getBindings() || []).length > 0;
  }

  // Where the result has coordinates: {lat, long} columns, or {wkt} a column of WKT points.
  function coordinates(cols) {
    var lat = cols.vars.filter(function (v) { return LAT.test(v) && cols.kinds[v] === "number"; })[0];
    var long = cols.vars.filter(function (v) { return LONG.test(v) && cols.kinds[v] === "number"; })[0];
    if (lat && long) { return { lat: lat, long: long }; }
    var wkt = ofKind(cols, "wkt")[0];
    return wkt ? { wkt: wkt } : null;
  }

  // [longitude, latitude] of a row, or null.
  function lonLat(row, where) {
    if (where.wkt) {
      var m = row[where.wkt] && WKT.exec(row[where.wkt].value);
      return m ? [parseFloat(m[1]), parseFloat(m[2])] : null;
    }
    if (!row[where.lat] || !row[where.long]) { return null; }
    return [parseFloat(row[where.long].value), parseFloat(row[where.lat].value)];
  }

  function toDate(term) {
    if (!term) { return null; }
    var m = /^(-?\d{4,})(?:-(\d{2}))?(?:-(\d{2}))?(?:T(\d{2}):(\d{2}))?/.exec(term.value);
    if (!m) { return null; }
    var d = new Date(Date.UTC(+m[1], m[2] ? +m[2] - 1 : 0, m[3] ? +m[3] : 1, m[4] ? +m[4] : 0, m[5] ? +m[5] : 0));
    return isNaN(d.getTime()) ? null : d;
  }

  // --- words and links -------------------------------------------------------------------
  function localHref(iri) {
    return idNamespace && iri.indexOf(idNamespace) === 0 ? "/id/" + iri.slice(idNamespace.length) : iri;
  }

  function shortIri(iri) {
    if (idNamespace && iri.indexOf(idNamespace) === 0) { return iri.slice(idNamespace.length); }
    var cut = Math.max(iri.lastIndexOf("#"), iri.lastIndexOf("/"));
    return cut >= 0 && cut < iri.length - 1 ? iri.slice(cut + 1) : iri;
  }

  function label(term) {
    if (!term) { return ""; }
    return term.type === "uri" ? shortIri(term.value) : term.value;
  }

  // The column that names a row: a text column called *label or *name, else the first IRI
  // or text column not in `skip`.
  function labelVar(cols, skip) {
    var free = cols.vars.filter(function (v) { return (skip || []).indexOf(v) < 0; });
    var named = free.filter(function (v) { return /(label|name|title)$/i.test(v) && cols.kinds[v] === "text"; })[0];
    return named || free.filter(function (v) { return ["iri", "text"].indexOf(cols.kinds[v]) >= 0; })[0] || null;
  }

  // The IRI a row's mark links to: the first IRI in the row (an entity page when local).
  function rowHref(row, cols) {
    var v = ofKind(cols, "iri")[0];
    return v && row[v] ? localHref(row[v].value) : null;
  }

  // --- drawing ---------------------------------------------------------------------------
  var loading = {};
  function loadOne(name) {
    if (!loading[name]) {
      loading[name] = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = vendor + name;
        s.onload = resolve;
        s.onerror = function () { reject(new Error("Could not load " + name)); };
        document.head.appendChild(s);
      });
    }
    return loading[name];
  }

  // The scripts of a bundle ("d3", "map", "graph"), in order, each once.
  function load(bundle) {
    return bundles[bundle].reduce(function (p, name) {
      return p.then(function () { return loadOne(name); });
    }, Promise.resolve());
  }

  function worldUrl() { return vendor + bundles.world; }

  // A view's frame: a figure whose caption says what is drawn, a button back to the table,
  // the drawing area, and the same content as text (a list) below it.
  function frame(yasr, name, caption) {
    var figure = document.createElement("figure");
    figure.className = "dg-view dg-view-" + name;
    var cap = document.createElement("figcaption");
    cap.id = "dg-caption-" + name;
    var words = document.createElement("span");
    words.className = "dg-caption-text";
    words.textContent = caption;
    var back = document.createElement("button");
    back.type = "button";
    back.className = "secondary dg-to-table";
    back.textContent = "Show as a table";
    back.addEventListener("click", function () { yasr.selectPlugin("table"); });
    cap.appendChild(words);
    cap.appendChild(back);
    var canvas = document.createElement("div");
    canvas.className = "dg-canvas";
    figure.appendChild(cap);
    figure.appendChild(canvas);
    yasr.resultsEl.appendChild(figure);
    return { figure: figure, canvas: canvas, caption: words };
  }

  // The text alternative: one line per mark, links where the mark has a page.
  function textList(fig, title, items) {
    var details = document.createElement("details");
    details.className = "dg-as-text";
    var summary = document.createElement("summary");
    summary.textContent = title;
    details.appendChild(summary);
    var list = document.createElement("ul");
    items.slice(0, MAX_TEXT_ITEMS).forEach(function (item) {
      var li = document.createElement("li");
      if (item.href) {
        var a = document.createElement("a");
        a.href = item.href;
        a.textContent = item.text;
        li.appendChild(a);
      } else {
        li.textContent = item.text;
      }
      list.appendChild(li);
    });
    if (items.length > MAX_TEXT_ITEMS) {
      var more = document.createElement("li");
      more.textContent = "… and " + (items.length - MAX_TEXT_ITEMS) + " more (see the table)";
      list.appendChild(more);
    }
    details.appendChild(list);
    fig.figure.appendChild(details);
  }

  function failed(fig, error) {
    fig.caption.textContent = "This view could not be drawn (" + error.message + "); the table shows the results.";
  }

  function svgIcon(path) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("aria-hidden", "true");
    var p = document.createElementNS(ns, "path");
    p.setAttribute("d", path);
    p.setAttribute("fill", "none");
    p.setAttribute("stroke", "currentColor");
    p.setAttribute("stroke-width", "1.6");
    svg.appendChild(p);
    return svg;
  }

  // --- choosing a view -------------------------------------------------------------------
  // A fresh result (the editor marks its Yasr `dgFresh`) opens in the compatible view of
  // highest priority; a redraw (switching views, restoring a tab) keeps the reader's choice.
  var draw = Yasr.prototype.draw;
  Yasr.prototype.draw = function () {
    if (this.dgFresh && this.results) {
      this.dgFresh = false;
      var self = this;
      var best = this.getCompatiblePlugins().filter(function (n) {
        return self.plugins[n] && !self.plugins[n].hideFromSelection;
      })[0];
      if (best && best !== this.selectedPlugin) {
        this.selectedPlugin = best;
        this.emit("change", this);
      }
    }
    return draw.apply(this, arguments);
  };
  Yasr.defaults.pluginOrder = ["table", "chart", "timeline", "map", "graph", "response"];
  // IRIs open in the same tab, the project's own as their entity pages (editor.js rewrites).
  Yasr.plugins.table.defaults.openIriInNewWindow = false;

  window.diplographViews = {
    register: function (name, Plugin) { Yasr.registerPlugin(name, Plugin); },
    columns: columns, ofKind: ofKind, hasRows: hasRows, coordinates: coordinates,
    lonLat: lonLat, toDate: toDate, localHref: localHref, shortIri: shortIri, label: label,
    labelVar: labelVar, rowHref: rowHref, load: load, worldUrl: worldUrl, frame: frame,
    textList: textList, failed: failed, svgIcon: svgIcon
  };
}());
