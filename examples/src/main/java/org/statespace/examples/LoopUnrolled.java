package org.statespace.examples;

import java.util.List;

import org.statespace.rnn.Cell;
import org.statespace.rnn.Edge;
import org.statespace.rnn.Head;
import org.statespace.rnn.Layer;
import org.statespace.rnn.LoopAnalysis;
import org.statespace.rnn.RnnArchitecture;
import org.statespace.rnn.RnnModel;
import org.statespace.rnn.UnrolledGraph;

/**
 * The seed's changed loop graph: three layers where layer 3 loops back to layer 2 (layers numbered from
 * 0: the edge 2 -> 1 at delay 1), unrolled over 4 steps. Prints the DAG in Graphviz DOT (pipe it to
 * {@code dot -Tsvg}); the red links from (2, t-1) down to (1, t) are why it is not a grid. With
 * {@code --analyze} it prints instead what the loop does ({@link LoopAnalysis}): layers 1 and 2 become one
 * recurrent block, and the longest path of the unrolled graph grows by two links per step (14 links at
 * T = 6, against 9 for the plain stack).
 *
 * <pre>java -cp examples/target/statespace-app.jar org.statespace.examples.LoopUnrolled | dot -Tsvg &gt; loop.svg
 * java -cp examples/target/statespace-app.jar org.statespace.examples.LoopUnrolled --analyze</pre>
 */
public final class LoopUnrolled {
    private LoopUnrolled() {
    }

    public static void main(String[] args) {
        RnnArchitecture a = RnnArchitecture.of(3, List.of(Layer.of(Cell.TANH, 5), Layer.of(Cell.GRU, 4),
                Layer.of(Cell.LSTM, 4)), List.of(new Edge(2, 1, 1)), Head.of(Head.Type.GAUSSIAN, 1));
        if (args.length > 0 && args[0].equals("--analyze")) {
            System.out.print(LoopAnalysis.of(a.graph(), 6).toText());
            return;
        }
        RnnModel model = RnnModel.initialized(a, 7);
        UnrolledGraph graph = model.unroll(4);
        System.out.print(graph.toDot());
    }
}
