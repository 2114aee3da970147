package org.statespace.rnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.statespace.SpecException;
import org.statespace.spec.ModelSpecs;

/** Validation, topological order and unrolling of loop graphs. */
class LoopGraphTest {

    private static String spec(String edges) {
        return "{\"type\": \"rnn\", \"inputSize\": 2, \"layers\": [{\"cell\": \"tanh\", \"hiddenSize\": 2},"
                + " {\"cell\": \"gru\", \"hiddenSize\": 2}, {\"cell\": \"lstm\", \"hiddenSize\": 2}],"
                + " \"edges\": " + edges + ", \"head\": {\"type\": \"linear\", \"outputSize\": 1}}";
    }

    @Test
    void aCycleWithNoDelayIsRejectedWithItsName() {
        assertThatThrownBy(() -> ModelSpecs.parse(spec("[{\"from\": 2, \"to\": 1, \"delay\": 0}]"), "m.json"))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("m.json: edges[0]: a cycle with no delay: layer 1 -> layer 2 -> layer 1");
        assertThatThrownBy(() -> ModelSpecs.parse(spec("[{\"from\": 2, \"to\": 0, \"delay\": 1}, {\"from\": 2, \"to\": 0, \"delay\": 0}]"),
                "m.json")).isInstanceOf(SpecException.class).hasMessageContaining("edges[1]");
        assertThatThrownBy(() -> ModelSpecs.parse(spec("[{\"from\": 0, \"to\": 2, \"delay\": 1}, {\"from\": 2, \"to\": 0, \"delay\": 0}]"),
                "m.json")).isInstanceOf(SpecException.class)
                .hasMessageContaining("edges[1]: a cycle with no delay: layer 0 -> layer 1 -> layer 2 -> layer 0");
        assertThatThrownBy(() -> LoopGraph.of(3, List.of(new Edge(1, 1, 0))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("edges[0]: a cycle with no delay: layer 1 -> layer 1 (give one of its connections a delay of at least 1)");
    }

    @Test
    void edgesThatRepeatOrPointNowhereAreRejected() {
        assertThatThrownBy(() -> ModelSpecs.parse(spec("[{\"from\": 0, \"to\": 1, \"delay\": 0}]"), "m.json"))
                .hasMessageContaining("edges[0]: layer 0 -> layer 1 at delay 0 is the implied stack connection");
        assertThatThrownBy(() -> ModelSpecs.parse(spec("[{\"from\": 1, \"to\": 1, \"delay\": 1}]"), "m.json"))
                .hasMessageContaining("is the implied recurrence (weight_hh_l1)");
        assertThatThrownBy(() -> ModelSpecs.parse(spec("[{\"from\": 2, \"to\": 1, \"delay\": 1}, {\"from\": 2, \"to\": 1, \"delay\": 2}]"),
                "m.json")).hasMessageContaining("edges[1]: a second edge from layer 2 to layer 1");
        assertThatThrownBy(() -> ModelSpecs.parse(spec("[{\"from\": 3, \"to\": 1, \"delay\": 1}]"), "m.json"))
                .hasMessageContaining("edges[0].from: must be between 0 and 2, got 3");
        assertThatThrownBy(() -> ModelSpecs.parse(spec("[{\"from\": 2, \"to\": 1, \"delay\": -1}]"), "m.json"))
                .hasMessageContaining("edges[0].delay");
    }

    @Test
    void withinAStepLayersRunInTopologicalOrder() {
        LoopGraph g = LoopGraph.of(4, List.of(new Edge(0, 3, 0), new Edge(3, 0, 1), new Edge(1, 3, 2)));
        int[] order = g.topologicalOrder();
        assertThat(order).containsExactly(0, 1, 2, 3);
        assertThat(g.maxDelay()).isEqualTo(2);
        assertThat(g.maxDelayFrom(1)).isEqualTo(2);
        assertThat(g.into(3)).extracting(LoopGraph.Connection::from).containsExactlyInAnyOrder(2, 3, 0, 1);
    }

    @Test
    void unrollingGivesADagInTopologicalOrderThatIsNotAGrid() {
        LoopGraph g = LoopGraph.of(3, List.of(new Edge(2, 1, 1)));
        int steps = 5;
        UnrolledGraph u = g.unroll(steps);
        // initial states, then per step the input, three layers and the head output
        assertThat(u.nodes()).hasSize(3 + steps * 5);
        // per step: x -> 0, 0 -> 1, 1 -> 2, three recurrences, the extra edge, top -> head
        assertThat(u.links()).hasSize(steps * 8);
        for (UnrolledGraph.Link k : u.links()) {
            assertThat(k.from()).as("%s", k).isLessThan(k.to());
        }
        assertThat(u.isGrid()).isFalse();
        assertThat(u.extraLinks()).hasSize(steps);
        assertThat(u.toDot()).contains("not a grid: 5 links").contains("h2_0 -> h1_1 [color=red")
                .contains("h2_init -> h1_0 [color=red");
        assertThat(u.toJson().get("grid").asBoolean()).isFalse();
        assertThat(u.toJson().get("nodes").get(3).get("id").asText()).isEqualTo("x0");
        // the DOT is well formed: as many opening as closing braces, one statement per node and link
        String dot = u.toDot();
        assertThat(dot.chars().filter(c -> c == '{').count()).isEqualTo(dot.chars().filter(c -> c == '}').count());
        assertThat(dot.lines().filter(l -> l.contains(" -> ")).count()).isEqualTo(u.links().size());

        UnrolledGraph plain = LoopGraph.of(3, List.of()).unroll(steps);
        assertThat(plain.isGrid()).isTrue();
        assertThat(plain.toDot()).contains("// a grid");
    }
}
