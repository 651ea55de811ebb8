// briefgen serve: one server-sent event stream for every open tab of the preview.
// Each tab gets the newest state when it connects, and every state after.
"use strict";
const ports = [];
let newest = null;

new EventSource("/__briefgen/events").onmessage = (event) => {
  newest = JSON.parse(event.data);
  for (const port of ports) port.postMessage(newest);
};

onconnect = (event) => {
  const port = event.ports[0];
  ports.push(port);
  if (newest) port.postMessage(newest);
};
