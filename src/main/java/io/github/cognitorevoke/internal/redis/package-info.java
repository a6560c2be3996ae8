/**
 * The shared tier: the denylist shared through Redis or Valkey ({@link RedisDenylist}) and the
 * pending revocations kept there ({@link RedisPendingStore}).
 *
 * <h2>Key schema</h2>
 * Every name starts with P = {@code redisKeyPrefix} (default {@code cognito-revoke:}; on a Redis Cluster it holds a hash tag, e.g. <code>{cognito-revoke}:</code>, that puts every key in one hash slot); nodes with the
 * same P share one denylist. Every key carries an expiry. Times are epoch milliseconds of the writing
 * node's clock unless said otherwise.
 * <table>
 *   <caption>Keys and channel</caption>
 *   <tr><th>name</th><th>type: value</th><th>expires</th><th>written by</th></tr>
 *   <tr><td>{@code P j:<jti or origin_jti>}</td><td>string: the entry's end</td>
 *       <td>at that end ({@code PXAT})</td><td>{@code id.lua}</td></tr>
 *   <tr><td>{@code P s:<sub>}</td><td>string: {@code "<notBefore, epoch s> <until>"}, the sign-out
 *       cut-off and its end</td><td>at the until</td><td>{@code subject.lua}</td></tr>
 *   <tr><td>{@code P ids}</td><td>sorted set: every live token id, scored by its end</td>
 *       <td>at its highest score, at most now + the longest entry</td><td>{@code index.lua}</td></tr>
 *   <tr><td>{@code P subjects}</td><td>sorted set: every {@code sub} with a live cut-off, scored by
 *       its until</td><td>as {@code ids}</td><td>{@code index.lua}</td></tr>
 *   <tr><td>{@code P events}</td><td>channel: {@code j <end> <id>} or {@code s <notBefore> <until> <sub>},
 *       one message per change</td><td>(a channel)</td><td>{@code id.lua}, {@code subject.lua}</td></tr>
 *   <tr><td>{@code P p:<id>}</td><td>string: a pending revocation sealed by {@code PendingCipher};
 *       id = the SHA-256 (64 hex digits) of the refresh token for a RevokeToken, {@code g} and that
 *       of the access token for a GlobalSignOut; only with {@code redisEncryptionKey}</td>
 *       <td>at the entry's deadline; a save never shortens it</td><td>{@code save.lua}</td></tr>
 *   <tr><td>{@code P owned:<node>}</td><td>set: the ids of the {@code p:} entries a node works on
 *       (node = a random UUID per start)</td><td>with its latest entry</td>
 *       <td>{@code save.lua}, {@code take.lua}, {@code give-back.lua}</td></tr>
 *   <tr><td>{@code P nodes}</td><td>sorted set: node, scored by its last heartbeat (0: gave its
 *       lease up)</td><td>with the latest owned set, and at least three {@code redisLease} after the
 *       last heartbeat</td><td>{@code heartbeat.lua}, {@code save.lua}, {@code dead.lua}, {@code take.lua},
 *       {@code release.lua}</td></tr>
 * </table>
 *
 * <p>The names are built in {@code DenylistKeys} and {@link RedisPendingStore}; the scripts are the
 * {@code .lua} resources of this package, helpers first, joined by {@code Scripts}. What they keep:
 * <ul>
 *   <li>An entry's end never moves earlier: a write keeps the later end (each field of an
 *   {@code s:} value on its own) and publishes only a change; the indexes only raise a score
 *   ({@code ZADD GT}). An end beyond now + the longest legitimate entry
 *   ({@code DenylistKeys.longestEntry}) was not written by a node and is replaced, and so is a key of
 *   another type.</li>
 *   <li>Each write removes from its index the members that ended {@code clockSkew} before the
 *   writer's now (bounded work: what ended since the last write).</li>
 *   <li>A sync ({@code page.lua}) reads the indexes from the latest end down, 20,000 members a page,
 *   stops at the first ended member, skips names longer than 1,024 characters; {@code values.lua}
 *   reads at most 64 bytes of each {@code s:} value of a page (the constants of {@code DenylistSync}).</li>
 *   <li>Pending-store expiries are only ever extended ({@code keep-later.lua}); Redis 6.2 has
 *   neither {@code EXPIRE GT} nor {@code PEXPIRETIME}.</li>
 *   <li>No script makes a key name: the node sends every key in KEYS, each in P's hash slot (P must
 *   hold a hash tag on a Redis Cluster), so one script's keys always lie on one node. Changes are
 *   published with {@code PUBLISH}, which a cluster carries to every node.</li>
 * </ul>
 */
package io.github.cognitorevoke.internal.redis;
