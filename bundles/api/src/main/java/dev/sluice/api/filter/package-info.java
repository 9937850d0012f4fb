/**
 * The filter plugin contract: how a bundle written by anyone takes part in every SMTP transaction and in every
 * delivery attempt.
 *
 * <h2>Hooks</h2>
 * A plugin registers an OSGi service of one or more hook interfaces (whiteboard; a DS {@code @Component} is
 * enough): {@link dev.sluice.api.filter.ConnectFilter} (before the 220 greeting),
 * {@link dev.sluice.api.filter.HeloFilter} (EHLO/HELO), {@link dev.sluice.api.filter.MailFromFilter} (MAIL),
 * {@link dev.sluice.api.filter.RcptFilter} (each RCPT that passed relay control),
 * {@link dev.sluice.api.filter.DataFilter} (end of DATA or last BDAT, before the message is committed; the
 * filter sees the header and can read the content) and {@link dev.sluice.api.filter.PreDeliveryFilter} (before
 * each delivery attempt of a batch of recipients). Hooks only see well-formed, in-sequence commands: syntax,
 * sequencing, size, relay control and rate limits are checked first.
 *
 * <h2>Verdicts</h2>
 * Each call returns a {@link java.util.concurrent.CompletionStage} of a {@link dev.sluice.api.filter.Verdict}:
 * Continue (no opinion), Accept (skip the remaining filters of this phase), Reject (a 5xx reply), TempFail (a
 * 4xx reply), Discard (answer 250 and drop: the recipient at RCPT, the message at DATA, the batch before
 * delivery; logged) and ModifyHeaders (add, set or remove header fields at DATA and before delivery, then go on;
 * before delivery the change affects what is sent, not the queued copy).
 *
 * <h2>Order, threads, time</h2>
 * <ul>
 * <li>Filters of a phase run one after the other, highest {@code service.ranking} first (equal rankings: lowest
 * {@code service.id} first); the first verdict other than Continue and ModifyHeaders ends the phase.</li>
 * <li>A hook is called on a Sluice filter thread, never on a network I/O thread, and never with a lock held. It
 * may return an incomplete stage and complete it later from any thread (e.g. after asking a remote service):
 * the SMTP session waits for it without holding a thread, and reads nothing more from that client meanwhile.
 * The exception: a filter that declares {@link dev.sluice.api.filter.FilterProperties#NON_BLOCKING} (it always
 * answers at once and never blocks) is called in place on the thread that runs the phase, which may be a
 * network I/O thread.</li>
 * <li>The core waits at most {@link dev.sluice.api.filter.FilterProperties#TIMEOUT_MILLIS}. A filter that
 * throws, returns null, fails its stage, does not answer in time, or is unregistered (its bundle stopped,
 * updated or uninstalled) while a call is pending has failed; its
 * {@link dev.sluice.api.filter.FilterProperties#FAILURE_MODE} decides: fail closed (default) answers
 * {@code 451 4.3.0} (the client retries; before delivery: the batch is deferred) and fail open skips the filter.
 * A failure never drops a connection and never loses an accepted message.</li>
 * <li>A filter registered or unregistered while mail flows takes effect at the next phase that starts; a
 * phase already running skips filters that have gone.</li>
 * </ul>
 *
 * <h2>Versions</h2>
 * The hook interfaces are {@code @ConsumerType}: they only change in a major version, so a plugin built against
 * 1.x runs on every 1.y. Request records may gain components in minor versions (keeping their old constructors), and Verdict may gain
 * types that older plugins never return.
 * 1.1 added {@link dev.sluice.api.filter.FilterSettings} and documented the contract above; 1.2 added
 * {@link dev.sluice.api.filter.FilterCall}, the one way hosts call a filter; 1.3 added
 * {@link dev.sluice.api.filter.FilterTimer}, which that one way records each call's duration and outcome with; 1.4 added
 * {@link dev.sluice.api.filter.FilterProperties#NON_BLOCKING} and {@link dev.sluice.api.filter.FilterSettings#nonBlocking()}.
 */
@Export
@Version("1.4.0")
package dev.sluice.api.filter;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
