// The map of venues: Natural Earth country outlines (world-atlas, served by the app) drawn
// with d3-geo, a marker per venue at its coordinates, and a country without coordinates
// drawn on its outline. Each marker is a link reached with Tab; the table below holds the
// same venues.
(function () {
  "use strict";
  var holder = document.getElementById("map-canvas");
  if (!holder || typeof d3 === "undefined" || typeof topojson === "undefined") { return; }
  var data = JSON.parse(document.getElementById("map-data").textContent);
  var width = Math.max(holder.clientWidth, 360), height = Math.round(width * 0.52);

  function eventsText(v) {
    return v.events.map(function (e) { return e.label + " (" + e.when + ", " + e.status + ")"; }).join("; ");
  }

  fetch(holder.getAttribute("data-world")).then(function (r) { return r.json(); }).then(function (world) {
    var countries = topojson.feature(world, world.objects.countries).features
      .filter(function (f) { return f.id !== "010"; });  // Antarctica: no venue, half the height
    var projection = d3.geoNaturalEarth1()
      .fitExtent([[8, 8], [width - 8, height - 8]], { type: "FeatureCollection", features: countries });
    var path = d3.geoPath(projection);
    var byName = {};
    countries.forEach(function (f) { byName[f.properties.name] = f; });
    var outlined = {};
    data.venues.forEach(function (v) {
      if (v.lat !== null) { return; }
      var found = v.names.map(function (n) { return byName[n]; }).filter(Boolean)[0];
      if (found) { v.country = found; outlined[found.properties.name] = v; }
    });

    var svg = d3.select(holder).append("svg").attr("class", "map-svg")
      .attr("viewBox", "0 0 " + width + " " + height).attr("role", "group")
      .attr("aria-label", "World map with " + data.venues.length + " venues; the table below holds the same venues");
    svg.append("path").attr("class", "map-sphere").attr("d", path({ type: "Sphere" }));
    svg.append("g").selectAll("path").data(countries).enter().append("path")
      .attr("class", function (f) { return outlined[f.properties.name] ? "map-country venue" : "map-country"; })
      .attr("data-name", function (f) { return f.properties.name; })
      .attr("d", path);

    var placed = data.venues.filter(function (v) { return v.lat !== null || v.country; });
    var marks = svg.append("g").selectAll("a").data(placed).enter().append("a")
      .attr("class", function (v) { return v.country ? "map-venue country" : "map-venue"; })
      .attr("href", function (v) { return v.href; })
      .attr("data-id", function (v) { return v.id; })
      .attr("aria-label", function (v) { return v.label + ": " + eventsText(v); })
      .attr("transform", function (v) {
        var at = v.country ? path.centroid(v.country) : projection([v.lon, v.lat]);
        v.xy = at;
        return "translate(" + at[0] + "," + at[1] + ")";
      });
    marks.append("title").text(function (v) { return v.label + " — " + eventsText(v); });
    marks.filter(function (v) { return !v.country; }).append("circle").attr("r", 5);
    marks.filter(function (v) { return v.country; }).append("rect")
      .attr("x", -4).attr("y", -4).attr("width", 8).attr("height", 8);
    marks.append("text").attr("x", 7).attr("y", 4).text(function (v) { return v.label; });

    // For the browser tests: the projection, the outlines and the placed venues.
    window.diplographMap = {
      contains: function (countryName, venueId) {
        var v = placed.filter(function (p) { return p.id === venueId; })[0];
        return Boolean(v && byName[countryName] && d3.geoContains(byName[countryName], projection.invert(v.xy)));
      },
      venues: placed.map(function (v) { return v.id; })
    };
    holder.setAttribute("data-ready", "true");
  }).catch(function (err) {
    holder.textContent = "The map could not be drawn (" + err.message + "); the table below lists the venues.";
  });
}());
