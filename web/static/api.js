// GraphQL over HTTP (the spec's response media type) and graphql-transport-ws for live updates.
// The bearer token of a signed-in viewer lives in sessionStorage: it goes with the tab, not the device.

const TOKEN_KEY = "warga-token";

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

// Signing out forgets who the viewer was too.
export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.clear();
}

// A GraphQL error answer: `code` is the first error's extensions.code (UNAUTHENTICATED, FORBIDDEN,
// RATE_LIMITED…), `retryAfter` the seconds a rate limit asks for, `message` the server's words.
export class ApiError extends Error {
  constructor(errors) {
    super(errors.map((e) => e.message).join("; "));
    this.code = errors[0]?.extensions?.code ?? "INTERNAL_SERVER_ERROR";
    this.retryAfter = errors[0]?.extensions?.retryAfter ?? null;
  }
}

// `auth`: send the viewer's token. Public reads go without it, so the server may answer them from its
// cache of anonymous answers.
export async function gql(query, variables = {}, { auth = false } = {}) {
  return post(JSON.stringify({ query, variables }), { "content-type": "application/json" }, auth);
}

// A mutation with files, as the GraphQL multipart request spec says: `files` maps a variable's path
// ("input.photos.0") to a Blob. Always as the viewer.
export async function gqlFiles(query, variables, files) {
  const body = new FormData();
  body.append("operations", JSON.stringify({ query, variables }));
  const paths = Object.keys(files);
  body.append("map", JSON.stringify(Object.fromEntries(paths.map((path, i) => [String(i), [`variables.${path}`]]))));
  paths.forEach((path, i) => body.append(String(i), files[path], files[path].name ?? `photo-${i}.jpg`));
  // The header tells the server this is no cross-site form post (it refuses those).
  return post(body, { "graphql-require-preflight": "1" }, true);
}

async function post(body, headers, auth) {
  const bearer = auth ? token() : null;
  const all = { ...headers, accept: "application/graphql-response+json" };
  if (bearer) all.authorization = `Bearer ${bearer}`;
  let answer;
  try {
    const response = await fetch("/graphql", { method: "POST", headers: all, body });
    answer = await response.json();
  } catch {
    throw new ApiError([{ message: "network", extensions: { code: "NETWORK" } }]);
  }
  if (answer.errors?.length) throw new ApiError(answer.errors);
  return answer.data;
}

// One socket for the page; subscriptions are re-sent after every reconnect, and `onState`
// hears "live" or "offline" so the page can say so (and reload what it may have missed).
// The socket signs in with the token in connection_init; `reconnect()` after signing in or out.
export class Live {
  constructor(onState, onRefused = () => {}) {
    this.onState = onState;
    this.onRefused = onRefused;
    this.subscriptions = new Map();
    this.nextId = 1;
    this.delay = 500;
    this.connect();
  }

  connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}/graphql`, "graphql-transport-ws");
    this.socket = socket;
    socket.onopen = () => {
      const bearer = token();
      const payload = bearer ? { authorization: `Bearer ${bearer}` } : {};
      socket.send(JSON.stringify({ type: "connection_init", payload }));
    };
    socket.onmessage = (message) => this.receive(JSON.parse(message.data));
    socket.onclose = (event) => {
      if (socket !== this.socket) return; // replaced by reconnect()
      this.ready = false;
      this.onState("offline");
      if (event.code === 4403) {
        // The token was refused (expired, or signed out elsewhere): carry on signed out.
        setToken(null);
        this.onRefused();
        this.delay = 0;
      }
      setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(Math.max(this.delay * 2, 500), 15000);
    };
  }

  // After signing in or out: a new socket with the new credentials; subscriptions follow.
  reconnect() {
    const old = this.socket;
    this.ready = false;
    this.delay = 500;
    this.connect();
    old.onclose = null;
    old.onmessage = null;
    old.close(1000);
  }

  receive(message) {
    if (message.type === "connection_ack") {
      this.ready = true;
      this.delay = 500;
      for (const [id, subscription] of this.subscriptions) this.send(id, subscription);
      this.onState("live");
    } else if (message.type === "ping") {
      this.socket.send(JSON.stringify({ type: "pong" }));
    } else if (message.type === "next") {
      const data = message.payload?.data;
      if (data) this.subscriptions.get(message.id)?.onData(data);
    }
  }

  send(id, { query, variables }) {
    this.socket.send(JSON.stringify({ id, type: "subscribe", payload: { query, variables } }));
  }

  subscribe(query, variables, onData) {
    const id = String(this.nextId++);
    this.subscriptions.set(id, { query, variables, onData });
    if (this.ready) this.send(id, { query, variables });
    return () => {
      this.subscriptions.delete(id);
      if (this.ready) this.socket.send(JSON.stringify({ id, type: "complete" }));
    };
  }
}
