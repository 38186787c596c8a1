// Dredd hooks: the request each documented error status needs (the export documents one request, its
// example, for every response). The OpenAPI export itself is used unchanged. The forbidden token comes
// from the reference server's fixtures (FORBIDDEN_TOKEN); a conformant server is never made to answer 500.
const hooks = require('hooks');

const name = (status) =>
  `/v2/{project_id}/apic/vpc-channels/syncs > Synchronizing VPC Channels in a Project > ${status} > application/json`;
const header = (t, wanted) => Object.keys(t.request.headers).find((h) => h.toLowerCase() === wanted);

hooks.before(name(400), (t) => {
  t.request.body = JSON.stringify({ force_sync: 'yes' }); // Table 3 force_sync is a Boolean
});
hooks.before(name(401), (t) => {
  delete t.request.headers[header(t, 'x-auth-token')];
});
hooks.before(name(403), (t) => {
  t.request.headers[header(t, 'x-auth-token')] = process.env.FORBIDDEN_TOKEN;
});
hooks.before(name(500), (t) => {
  t.skip = true;
});
