// The bench's ceiling: the least a Worker can answer to a click (a 302 and nothing else),
// served by the same Miniflare and workerd as the app, with the app's compatibility settings.
const headers = { location: "https://offer.example/lp", "cache-control": "no-store" };

export default {
  fetch() {
    return new Response(null, { status: 302, headers });
  },
};
