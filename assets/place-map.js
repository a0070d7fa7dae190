// The place picker of the proposal forms, as progressive enhancement: without this script
// (or without Leaflet) the fieldset works as plain HTML — words, a Gemeinde from the list,
// and a checkbox that drops a point set earlier. With it, a Leaflet map shows the Kreis
// outlines (no tile layer: nothing is loaded from another server), the area of the process
// highlighted and its Gemeinden as small labelled dots; a click or tap, or the keyboard
// (Leaflet's arrow-key panning and +/− zoom, then "Kartenmitte übernehmen"), sets the point
// into the hidden lat/lon fields. The server checks the point again (place.h); the rules
// here mirror it: a Gemeinde from the list puts the point on its centre, a point set on
// the map clears the list's choice.
'use strict';

(function () {
  const SMALL_AREA = 40; // up to this many Gemeinden, their names are shown on the map

  // Ray casting over every ring of a GeoJSON Polygon or MultiPolygon (holes flip back).
  function inPolygonRings(rings, lon, lat) {
    let inside = false;
    for (const ring of rings) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i];
        const [xj, yj] = ring[j];
        if ((yi > lat) !== (yj > lat) && lon < xi + ((lat - yi) * (xj - xi)) / (yj - yi)) {
          inside = !inside;
        }
      }
    }
    return inside;
  }

  function inGeometry(geometry, lon, lat) {
    if (geometry.type === 'Polygon') return inPolygonRings(geometry.coordinates, lon, lat);
    if (geometry.type === 'MultiPolygon') {
      return geometry.coordinates.some((rings) => inPolygonRings(rings, lon, lat));
    }
    return false;
  }

  function nearest(gemeinden, lon, lat) {
    let best = null;
    let bestDistance = Infinity;
    const cosLat = Math.cos((lat * Math.PI) / 180);
    for (const g of gemeinden) {
      const [glon, glat] = g.geometry.coordinates;
      const d = ((glon - lon) * cosLat) ** 2 + (glat - lat) ** 2;
      if (d < bestDistance) {
        bestDistance = d;
        best = g;
      }
    }
    return best;
  }

  function setUp(box, L, area) {
    const form = box.closest('form');
    const latInput = form.querySelector('[data-place-lat]');
    const lonInput = form.querySelector('[data-place-lon]');
    const select = form.querySelector('[data-place-gemeinde]');
    const status = box.querySelector('[data-place-status]');
    const canvas = box.querySelector('[data-place-canvas]');
    const kreise = area.features.filter((f) => f.properties.kind === 'kreis');
    const inArea = kreise.filter((f) => f.properties.in_area);
    const gemeinden = area.features.filter((f) => f.properties.kind === 'gemeinde');

    // Without JavaScript a checkbox drops an earlier point; here the button does.
    for (const noJs of form.querySelectorAll('[data-place-nojs]')) {
      noJs.hidden = true;
      const checkbox = noJs.querySelector('input');
      if (checkbox) checkbox.checked = false;
    }
    box.hidden = false;

    const map = L.map(canvas, { attributionControl: false, zoomControl: false, keyboard: true });
    // The view first: Leaflet draws vector layers only on a map that has one.
    const [west, south, east, north] = area.area.bbox;
    map.fitBounds([
      [south, west],
      [north, east],
    ]);
    const [centreLon, centreLat] = area.area.centre;
    map.panTo([centreLat, centreLon], { animate: false });
    L.control
      .zoom({ zoomInTitle: box.dataset.textZoomIn, zoomOutTitle: box.dataset.textZoomOut })
      .addTo(map);
    // One layer per Kreis: Leaflet sets a path's class only when the path is made.
    for (const kreis of kreise) {
      const inside = kreis.properties.in_area;
      L.geoJSON(kreis, {
        interactive: false,
        className: inside ? 'ah-place-map__area' : 'ah-place-map__kreis',
        weight: inside ? 2 : 1,
      }).addTo(map);
    }
    for (const g of gemeinden) {
      const [lon, lat] = g.geometry.coordinates;
      const dot = L.circleMarker([lat, lon], {
        radius: 3,
        interactive: false,
        className: 'ah-place-map__gemeinde',
      }).addTo(map);
      if (gemeinden.length <= SMALL_AREA) {
        dot.bindTooltip(g.properties.name, {
          permanent: true,
          direction: 'right',
          className: 'ah-place-map__label',
        });
      }
    }

    let marker = null;
    function say(text) {
      status.textContent = text;
    }
    function showPoint(lat, lon) {
      if (marker) marker.setLatLng([lat, lon]);
      else {
        marker = L.circleMarker([lat, lon], {
          radius: 9,
          interactive: false,
          className: 'ah-place-map__point',
        }).addTo(map);
      }
    }
    function clearPoint() {
      latInput.value = '';
      lonInput.value = '';
      if (marker) {
        marker.remove();
        marker = null;
      }
    }
    function near(lat, lon) {
      const g = nearest(gemeinden, lon, lat);
      return g ? ' ' + g.properties.name : '';
    }
    // A point from the map or the keyboard: inside the area, or refused with a message.
    function pick(latlng) {
      const lat = latlng.lat;
      const lon = L.Util.wrapNum(latlng.lng, [-180, 180], true);
      if (!inArea.some((f) => inGeometry(f.geometry, lon, lat))) {
        say(box.dataset.textOutside);
        return;
      }
      latInput.value = lat.toFixed(6);
      lonInput.value = lon.toFixed(6);
      if (select) select.value = '';
      showPoint(lat, lon);
      say(box.dataset.textSet + near(lat, lon));
    }

    map.on('click', (event) => pick(event.latlng));
    box.querySelector('[data-place-centre]').addEventListener('click', () => pick(map.getCenter()));
    box.querySelector('[data-place-clear]').addEventListener('click', () => {
      clearPoint();
      if (select) select.value = '';
      say(box.dataset.textCleared);
    });
    if (select) {
      select.addEventListener('change', () => {
        const g = gemeinden.find((f) => f.properties.ags === select.value);
        if (!g) {
          clearPoint();
          say(box.dataset.textCleared);
          return;
        }
        const [lon, lat] = g.geometry.coordinates;
        // The server takes the Gemeinde's centre itself; the fields only show it here.
        latInput.value = '';
        lonInput.value = '';
        showPoint(lat, lon);
        map.panTo([lat, lon]);
        say(box.dataset.textSet + ' ' + g.properties.name);
      });
    }

    // What the form came with: a chosen Gemeinde, or a point (e.g. after an error).
    const chosen = select && gemeinden.find((f) => f.properties.ags === select.value);
    if (chosen) {
      const [lon, lat] = chosen.geometry.coordinates;
      showPoint(lat, lon);
    } else if (latInput.value !== '' && lonInput.value !== '') {
      const lat = Number(latInput.value);
      const lon = Number(lonInput.value);
      if (Number.isFinite(lat) && Number.isFinite(lon)) showPoint(lat, lon);
    }
  }

  function start() {
    const L = window.L;
    for (const box of document.querySelectorAll('[data-place-map]')) {
      if (!L) return; // Leaflet did not load: the plain form stays
      fetch(box.dataset.areaUrl, { headers: { accept: 'application/geo+json' } })
        .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
        .then((area) => setUp(box, L, area))
        .catch((error) => {
          box.hidden = true; // the plain form stays usable
          console.error('place map:', error);
        });
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
