// The map of venues: Natural Earth country outlines (world-atlas, served by the app) drawn
// with d3-geo, a marker per venue at its coordinates, and a country without coordinates
// drawn on its outline. East and Southeast Asia, where most venues lie a few pixels apart
// on a world map, is drawn again enlarged below it; there the world map keeps a plain dot
// and the inset holds the link and the name. Every name is put where it covers no other
// name and no marker. Each marker is a link reached with Tab; the table below holds the
// same venues.
(function () {
  "use strict";
  var holder = document.getElementById("map-canvas");
  if (!holder || typeof d3 === "undefined" || typeof topojson === "undefined") { return; }
  var data = JSON.parse(document.getElementById("map-data").textContent);
  var width = Math.max(holder.clientWidth, 360), height = Math.round(width * 0.52);
  // The enlarged region, in degrees: [[west, south], [east, north]].
  var REGION = [[92, -11], [150, 50]];
  // Where a name may go beside its marker, in order of preference: x, y, anchor.
  var SPOTS = [[8, 4, "start"], [-8, 4, "end"], [0, -9, "middle"], [0, 17, "middle"],
    [8, -6, "start"], [8, 14, "start"], [-8, -6, "end"], [-8, 14, "end"]];

  function eventsText(v) {
    return v.events.map(function (e) { return e.label + " (" + e.when + ", " + e.status + ")"; }).join("; ");
  }

  function lonLat(v) { return v.country ? d3.geoCentroid(v.country) : [v.lon, v.lat]; }

  function inRegion(v) {
    var at = lonLat(v);
    return at[0] >= REGION[0][0] && at[0] <= REGION[1][0] && at[1] >= REGION[0][1] && at[1] <= REGION[1][1];
  }

  function apart(a, b) { return a.x2 <= b.x1 || b.x2 <= a.x1 || a.y2 <= b.y1 || b.y2 <= a.y1; }

  // Most events first: each name takes the first spot that stays inside the drawing and
  // covers no name already placed and no other marker; a name with no free spot is left
  // out (the marker's own label and the table still give it).
  function placeNames(marks, obstacles, w, h) {
    var taken = obstacles.map(function (v) {
      return { id: v.id, x1: v.xy[0] - 6, x2: v.xy[0] + 6, y1: v.xy[1] - 6, y2: v.xy[1] + 6 };
    });
    var order = marks.nodes().slice().sort(function (a, b) {
      var va = d3.select(a).datum(), vb = d3.select(b).datum();
      return vb.events.length - va.events.length || va.label.localeCompare(vb.label);
    });
    order.forEach(function (node) {
      var v = d3.select(node).datum(), text = d3.select(node).select("text");
      var placed = SPOTS.some(function (s) {
        text.attr("x", s[0]).attr("y", s[1]).attr("text-anchor", s[2]);
        var b = text.node().getBBox();
        var r = { id: v.id, x1: v.xy[0] + b.x, x2: v.xy[0] + b.x + b.width, y1: v.xy[1] + b.y, y2: v.xy[1] + b.y + b.height };
        if (r.x1 < 0 || r.y1 < 0 || r.x2 > w || r.y2 > h) { return false; }
        if (!taken.every(function (t) { return t.id === v.id || apart(t, r); })) { return false; }
        taken.push(r);
        return true;
      });
      text.attr("display", placed ? null : "none");
    });
  }

  function draw(svg, countries, projection, venues, linked) {
    var path = d3.geoPath(projection);
    svg.append("path").attr("class", "map-sphere").attr("d", path({ type: "Sphere" }));
    svg.append("g").selectAll("path").data(countries).enter().append("path")
      .attr("class", function (f) { return f.venue ? "map-country venue" : "map-country"; })
      .attr("data-name", function (f) { return f.properties.name; })
      .attr("d", path);
    var marks = svg.append("g").selectAll("g").data(venues).enter()
      .append(function (v) { return document.createElementNS(d3.namespaces.svg, linked(v) ? "a" : "g"); })
      .attr("class", function (v) { return (linked(v) ? "map-venue" : "map-dot") + (v.country ? " country" : ""); })
      .attr("data-id", function (v) { return v.id; })
      .attr("transform", function (v) {
        var at = v.country ? path.centroid(v.country) : projection([v.lon, v.lat]);
        v.xy = at;
        return "translate(" + at[0] + "," + at[1] + ")";
      });
    var links = marks.filter(linked);
    links.attr("href", function (v) { return v.href; })
      .attr("aria-label", function (v) { return v.label + ": " + eventsText(v); });
    links.append("title").text(function (v) { return v.label + " — " + eventsText(v); });
    marks.filter(function (v) { return !v.country; }).append("circle").attr("r", 5);
    marks.filter(function (v) { return v.country; }).append("rect")
      .attr("x", -4).attr("y", -4).attr("width", 8).attr("height", 8);
    links.append("text").text(function (v) { return v.label; });
    marks.filter(function (v) { return !linked(v); }).attr("aria-hidden", "true");
    return links;
  }

  fetch(holder.getAttribute("data-world")).then(function (r) { return r.json(); }).then(function (world) {
    var countries = topojson.feature(world, world.objects.countries).features
      .filter(function (f) { return f.id !== "010"; });  // Antarctica: no venue, half the height
    var byName = {};
    countries.forEach(function (f) { byName[f.properties.name] = f; });
    data.venues.forEach(function (v) {
      if (v.lat !== null) { return; }
      var found = v.names.map(function (n) { return byName[n]; }).filter(Boolean)[0];
      if (found) { v.country = found; found.venue = true; }
    });
    var placed = data.venues.filter(function (v) { return v.lat !== null || v.country; });
    var near = placed.filter(inRegion), far = placed.filter(function (v) { return !inRegion(v); });

    var projection = d3.geoNaturalEarth1()
      .fitExtent([[8, 8], [width - 8, height - 8]], { type: "FeatureCollection", features: countries });
    var svg = d3.select(holder).append("svg").attr("class", "map-svg map-world")
      .attr("viewBox", "0 0 " + width + " " + height).attr("role", "group")
      .attr("aria-label", "World map with " + far.length + " venues" + (near.length ? "; the " + near.length +
        " in East and Southeast Asia are on the enlarged map below it" : "") + "; the table below holds every venue");
    var world = draw(svg, countries, projection, placed, function (v) { return !near.length || !inRegion(v); });
    if (near.length) {
      svg.append("path").attr("class", "map-region").attr("d", d3.geoPath(projection)(
        d3.geoGraticule().extent(REGION).outline()));
    }
    placeNames(world, placed, width, height);

    var insetXY = null;
    if (near.length) {
      var iw = width, ih = Math.round(width * 0.5);
      d3.select(holder).append("p").attr("class", "map-inset-caption")
        .text("East and Southeast Asia, enlarged (the dashed frame on the world map)");
      var inset = d3.geoMercator().fitExtent([[60, 30], [iw - 60, ih - 30]],
        { type: "MultiPoint", coordinates: near.map(lonLat) });
      var isvg = d3.select(holder).append("svg").attr("class", "map-svg map-inset")
        .attr("viewBox", "0 0 " + iw + " " + ih).attr("role", "group")
        .attr("aria-label", "East and Southeast Asia enlarged, with " + near.length + " venues");
      placeNames(draw(isvg, countries, inset, near, function () { return true; }), near, iw, ih);
      insetXY = {};
      near.forEach(function (v) { insetXY[v.id] = inset.invert(v.xy); });
    }

    // For the browser tests: whether a venue, where it is drawn, falls in a country.
    window.diplographMap = {
      contains: function (countryName, venueId) {
        var v = placed.filter(function (p) { return p.id === venueId; })[0];
        if (!v || !byName[countryName]) { return false; }
        var at = insetXY && insetXY[venueId] ? insetXY[venueId] : projection.invert(v.xy);
        return d3.geoContains(byName[countryName], at);
      },
      venues: placed.map(function (v) { return v.id; }),
      enlarged: near.map(function (v) { return v.id; })
    };
    holder.setAttribute("data-ready", "true");
  }).catch(function (err) {
    holder.textContent = "The map could not be drawn (" + err.message + "); the table below lists the venues.";
  });
}());
