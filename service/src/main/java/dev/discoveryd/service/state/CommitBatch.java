package dev.discoveryd.service.state;

import dev.discoveryd.core.ClusterDraft;
import dev.discoveryd.core.Decider;
import dev.discoveryd.core.Event;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/** The changes of one journal call, in queue order, with the events each was decided to. */
final class CommitBatch {
    final List<Command> commands = new ArrayList<>();
    /** Per command: the end (exclusive) of its events in {@link #events}. */
    final List<Integer> ends = new ArrayList<>();
    /** Per command: its refusal, or null when it was decided (to events or to nothing). */
    final List<RuntimeException> refusals = new ArrayList<>();
    final List<Event> events = new ArrayList<>();

    /** Decides {@code command} on top of the batch so far; {@code more}: the draft must take its events. */
    void decide(Command command, ClusterDraft draft, Instant now, boolean more) {
        RuntimeException refusal = null;
        try {
            List<Event> decided = Decider.decide(command.intent, draft, now);
            events.addAll(decided);
            if (more) {
                for (Event e : decided) {
                    draft.evolve(e);
                }
            }
        } catch (RuntimeException e) { // a DomainException or a fault: this command is refused, not the batch
            refusal = e;
        }
        commands.add(command);
        ends.add(events.size());
        refusals.add(refusal);
    }

    /**
     * Answers every command in order: those whose events all lie before {@code failedAt} get their own outcome,
     * the rest (decided on top of events that were not recorded) fail with {@code failure}. {@code perLoop}: the
     * answers go out as one task per caller continuation (event loop), in order within it, instead of one
     * completion per change from this thread; else the loop starts answering the first while the rest are still
     * being completed, and the responses leave in many small writes instead of one per connection and batch.
     */
    void acknowledge(int failedAt, Throwable failure, RuntimeException[] broken, boolean perLoop) {
        RuntimeException[] outcomes = new RuntimeException[commands.size()];
        for (int i = 0; i < commands.size(); i++) {
            if (failure != null && ends.get(i) > failedAt) {
                outcomes[i] = new JournalException("the change could not be recorded: " + failure.getMessage(),
                        failure);
            } else if (refusals.get(i) != null) {
                outcomes[i] = refusals.get(i);
            } else if (broken != null && broken[i] != null) {
                outcomes[i] = broken[i];
            }
        }
        if (!perLoop || commands.size() == 1) {
            answer(0, commands.size(), null, outcomes);
            return;
        }
        // Group by continuation identity, first-seen order; a handful of loops, so a list beats a map.
        List<Executor> loops = new ArrayList<>(4);
        List<List<Integer>> members = new ArrayList<>(4);
        for (int i = 0; i < commands.size(); i++) {
            Executor loop = commands.get(i).caller.continuation();
            int g = 0;
            while (g < loops.size() && loops.get(g) != loop) {
                g++;
            }
            if (g == loops.size()) {
                loops.add(loop);
                members.add(new ArrayList<>());
            }
            members.get(g).add(i);
        }
        for (int g = 0; g < loops.size(); g++) {
            List<Integer> these = members.get(g);
            AtomicBoolean ran = new AtomicBoolean();
            Runnable task = () -> {
                if (ran.compareAndSet(false, true)) {
                    answer(0, these.size(), these, outcomes);
                }
            };
            try {
                loops.get(g).execute(task);
            } catch (RuntimeException rejected) {
                task.run(); // the loop is closing: answered here, never lost (and never twice)
            }
        }
    }

    /** Completes commands {@code from..to} of {@code which} (null: of the batch) with their outcomes. */
    private void answer(int from, int to, List<Integer> which, RuntimeException[] outcomes) {
        for (int k = from; k < to; k++) {
            int i = which == null ? k : which.get(k);
            if (outcomes[i] != null) {
                commands.get(i).done.completeExceptionally(outcomes[i]);
            } else {
                commands.get(i).done.complete(null);
            }
        }
    }

    /** The command that holds event {@code e}. */
    int commandOf(int e) {
        int i = 0;
        while (ends.get(i) <= e) {
            i++;
        }
        return i;
    }
}
