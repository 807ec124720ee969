// An independent ActivityPub peer built with Fedify, for Quarter Node's interop tests.
//
// One actor, `alice`, with an RSA key made at start. Fedify verifies every signed request to
// its inboxes (unsigned or badly signed ones are refused before a listener runs), answers a
// Follow with an Accept, and keeps what arrives in memory. The test drives and inspects it
// through a small JSON API under /_test/ (never part of ActivityPub):
//   GET  /_test/state             followers, follows, received notes and activities, requests
//   POST /_test/post   {content}  alice writes a public note to her followers
//   POST /_test/follow {uri}      alice follows the actor with this id
//   POST /_test/lookup {uri}      alice fetches a document with a signed GET
//   POST /_test/join {uri, organizer}  alice signs up for an event (Join to its organiser)
//
// Usage: node server.mjs PORT   (loopback only; Fedify may fetch private addresses here,
// which is the whole point of a test peer and must never be done in production).

import { randomUUID } from "node:crypto";
import http from "node:http";

import { Temporal } from "@js-temporal/polyfill";

import {
  createFederation,
  generateCryptoKeyPair,
  MemoryKvStore,
} from "@fedify/fedify";
import {
  Accept,
  Activity,
  Create,
  Endpoints,
  Event,
  Follow,
  isActor,
  Mention,
  Note,
  Join,
  Person,
  PUBLIC_COLLECTION,
  Reject,
  Undo,
} from "@fedify/vocab";

const PORT = Number(process.argv[2] || process.env.FEDIFY_PORT || 0);
const ORIGIN = `http://127.0.0.1:${PORT}`;
const ALICE = "alice";

const state = {
  followers: new Map(), // actor id -> {id, inbox, sharedInbox}
  following: new Map(), // actor id -> "pending" | "accepted"
  sentFollows: new Map(), // id of a Follow alice sent -> the followed actor's id
  notes: [], // received notes: {activityId, actor, id, content, inReplyTo, to, mentions}
  activities: [], // every verified activity: {type, id, actor, object}
  requests: [], // every HTTP request: {method, path, signed, scheme, status}
  actorFetches: [], // GETs of alice's actor: {signed, keyId, keyOwner}
  ownNotes: new Map(), // alice's notes by id
  events: [], // received events: {activityId, actor, id, name, startTime, summary, url}
  joins: new Map(), // id of a Join alice sent -> "pending" | "accepted" | "rejected"
};

const keyPairs = [await generateCryptoKeyPair("RSASSA-PKCS1-v1_5")];

const federation = createFederation({
  kv: new MemoryKvStore(),
  allowPrivateAddress: true, // loopback peers in tests only
  origin: ORIGIN,
});

federation
  .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
    if (identifier !== ALICE) return null;
    const keys = await ctx.getActorKeyPairs(identifier);
    return new Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: "Alice (Fedify)",
      summary: "A test peer written with Fedify.",
      url: ctx.getActorUri(identifier),
      inbox: ctx.getInboxUri(identifier),
      outbox: ctx.getOutboxUri(identifier),
      followers: ctx.getFollowersUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      publicKey: keys[0].cryptographicKey,
      assertionMethods: keys.map((key) => key.multikey),
    });
  })
  .setKeyPairsDispatcher((_ctx, identifier) => (identifier === ALICE ? keyPairs : []))
  .authorize(async (ctx) => {
    // Never refuses: only records who asked, as the signature proved it.
    const key = await ctx.getSignedKey();
    const owner = key ? await ctx.getSignedKeyOwner() : null;
    state.actorFetches.push({
      signed: key !== null,
      keyId: key?.id?.href ?? null,
      keyOwner: owner?.id?.href ?? null,
    });
    return true;
  });

federation.setOutboxDispatcher("/users/{identifier}/outbox", () => ({ items: [] }));

federation.setFollowersDispatcher("/users/{identifier}/followers", (_ctx, identifier) => {
  if (identifier !== ALICE) return null;
  const items = [...state.followers.values()].map((follower) => ({
    id: new URL(follower.id),
    inboxId: new URL(follower.inbox),
    endpoints: follower.sharedInbox ? { sharedInbox: new URL(follower.sharedInbox) } : null,
  }));
  return { items };
});

federation.setObjectDispatcher(Note, "/users/{identifier}/notes/{id}", (ctx, values) => {
  const id = ctx.getObjectUri(Note, values).href;
  return state.ownNotes.get(id) ?? null;
});

function remember(activity) {
  state.activities.push({
    type: activity.constructor.name,
    id: activity.id?.href ?? null,
    actor: activity.actorId?.href ?? null,
    object: activity.objectId?.href ?? null,
  });
}

federation
  .setInboxListeners("/users/{identifier}/inbox", "/inbox")
  .on(Follow, async (ctx, follow) => {
    remember(follow);
    if (follow.objectId?.href !== ctx.getActorUri(ALICE).href) return;
    const follower = await follow.getActor(ctx);
    if (!isActor(follower) || follower.inboxId === null) return;
    state.followers.set(follower.id.href, {
      id: follower.id.href,
      inbox: follower.inboxId.href,
      sharedInbox: follower.endpoints?.sharedInbox?.href ?? null,
    });
    const accept = new Accept({
      id: new URL(`${ORIGIN}/activities/${randomUUID()}`),
      actor: ctx.getActorUri(ALICE),
      object: follow,
    });
    await ctx.sendActivity({ identifier: ALICE }, follower, accept);
  })
  .on(Accept, (_ctx, accept) => {
    // The object is our Follow, usually by id only: we know the ids we sent.
    remember(accept);
    const followed = state.sentFollows.get(accept.objectId?.href);
    if (followed && followed === accept.actorId?.href) state.following.set(followed, "accepted");
    if (state.joins.has(accept.objectId?.href)) state.joins.set(accept.objectId.href, "accepted");
  })
  .on(Reject, (_ctx, reject) => {
    remember(reject);
    if (state.joins.has(reject.objectId?.href)) state.joins.set(reject.objectId.href, "rejected");
  })
  .on(Undo, async (ctx, undo) => {
    remember(undo);
    const object = await undo.getObject(ctx);
    if (object instanceof Follow && undo.actorId) state.followers.delete(undo.actorId.href);
  })
  .on(Create, async (ctx, create) => {
    remember(create);
    const object = await create.getObject(ctx);
    if (object instanceof Event) {
      state.events.push({
        activityId: create.id?.href ?? null,
        actor: create.actorId?.href ?? null,
        id: object.id?.href ?? null,
        name: object.name?.toString() ?? "",
        startTime: object.startTime?.toString() ?? null,
        summary: object.summary?.toString() ?? "",
        url: object.url?.href ?? null,
      });
      return;
    }
    if (!(object instanceof Note)) return;
    const mentions = [];
    for await (const tag of object.getTags(ctx)) {
      if (tag instanceof Mention && tag.href) mentions.push(tag.href.href);
    }
    state.notes.push({
      activityId: create.id?.href ?? null,
      actor: create.actorId?.href ?? null,
      id: object.id?.href ?? null,
      attributedTo: object.attributionId?.href ?? null,
      content: object.content?.toString() ?? "",
      inReplyTo: object.replyTargetId?.href ?? null,
      to: object.toIds.map((id) => id.href),
      mentions,
    });
  })
  .on(Activity, (_ctx, activity) => {
    remember(activity);
  });

// --- the test's control API ------------------------------------------------------------------

function context() {
  return federation.createContext(new URL(ORIGIN), undefined);
}

async function signedLoader(ctx) {
  return await ctx.getDocumentLoader({ identifier: ALICE });
}

const control = {
  "GET /_test/state": () => ({
    actor: `${ORIGIN}/users/${ALICE}`,
    followers: [...state.followers.values()],
    following: Object.fromEntries(state.following),
    notes: state.notes,
    activities: state.activities,
    requests: state.requests,
    actorFetches: state.actorFetches,
    events: state.events,
    joins: Object.fromEntries(state.joins),
  }),
  "POST /_test/post": async ({ content }) => {
    const ctx = context();
    const noteId = ctx.getObjectUri(Note, { identifier: ALICE, id: randomUUID() });
    const note = new Note({
      id: noteId,
      attribution: ctx.getActorUri(ALICE),
      to: PUBLIC_COLLECTION,
      cc: ctx.getFollowersUri(ALICE),
      content,
      url: noteId,
      published: Temporal.Now.instant(),
    });
    state.ownNotes.set(noteId.href, note);
    const create = new Create({
      id: new URL(`${noteId.href}#create`),
      actor: ctx.getActorUri(ALICE),
      to: PUBLIC_COLLECTION,
      cc: ctx.getFollowersUri(ALICE),
      object: note,
    });
    await ctx.sendActivity({ identifier: ALICE }, "followers", create, {
      preferSharedInbox: true,
    });
    return { id: noteId.href };
  },
  "POST /_test/follow": async ({ uri }) => {
    const ctx = context();
    const target = await ctx.lookupObject(uri, { documentLoader: await signedLoader(ctx) });
    if (!isActor(target)) return { error: `not an actor: ${uri}` };
    state.following.set(target.id.href, "pending");
    const followId = new URL(`${ORIGIN}/activities/${randomUUID()}`);
    state.sentFollows.set(followId.href, target.id.href);
    const follow = new Follow({
      id: followId,
      actor: ctx.getActorUri(ALICE),
      object: target.id,
    });
    await ctx.sendActivity({ identifier: ALICE }, target, follow);
    return { id: target.id.href };
  },
  "POST /_test/join": async ({ uri, organizer }) => {
    const ctx = context();
    const target = await ctx.lookupObject(organizer, { documentLoader: await signedLoader(ctx) });
    if (!isActor(target)) return { error: `not an actor: ${organizer}` };
    const joinId = new URL(`${ORIGIN}/activities/${randomUUID()}`);
    state.joins.set(joinId.href, "pending");
    const join = new Join({
      id: joinId,
      actor: ctx.getActorUri(ALICE),
      object: new URL(uri),
      tos: [target.id, ctx.getActorUri(ALICE)],
    });
    await ctx.sendActivity({ identifier: ALICE }, target, join);
    return { id: joinId.href };
  },
  "POST /_test/lookup": async ({ uri }) => {
    const ctx = context();
    const found = await ctx.lookupObject(uri, { documentLoader: await signedLoader(ctx) });
    return { found: found ? await found.toJsonLd({ format: "compact" }) : null };
  },
};

async function answerControl(key, body) {
  const handler = control[key];
  if (!handler) return new Response("unknown test endpoint", { status: 404 });
  try {
    const result = await handler(body ? JSON.parse(body) : {});
    return Response.json(result, { status: result?.error ? 400 : 200 });
  } catch (error) {
    return Response.json({ error: String(error?.stack ?? error) }, { status: 500 });
  }
}

// --- a plain node:http server in front of federation.fetch() --------------------------------

function signatureScheme(headers) {
  if (headers.has("signature-input")) return "rfc9421";
  if (headers.has("signature")) return "cavage";
  return null;
}

async function handle(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const body = Buffer.concat(chunks);
  const url = new URL(req.url, ORIGIN);
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  }
  if (url.pathname.startsWith("/_test/")) {
    return await answerControl(`${req.method} ${url.pathname}`, body.toString());
  }
  const record = {
    method: req.method,
    path: url.pathname,
    scheme: signatureScheme(headers),
    status: null,
  };
  state.requests.push(record);
  const hasBody = !["GET", "HEAD"].includes(req.method);
  const request = new Request(url, { method: req.method, headers, body: hasBody ? body : undefined });
  const response = await federation.fetch(request, {
    contextData: undefined,
    onNotFound: () => new Response("Not found", { status: 404 }),
    onNotAcceptable: () => new Response("Not acceptable", { status: 406 }),
  });
  record.status = response.status;
  return response;
}

const server = http.createServer(async (req, res) => {
  let response;
  try {
    response = await handle(req);
  } catch (error) {
    console.error(error);
    response = new Response(String(error), { status: 500 });
  }
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
});

server.listen(PORT, "127.0.0.1", () => {
  console.log(`fedify peer listening at ${ORIGIN}/users/${ALICE}`);
});
