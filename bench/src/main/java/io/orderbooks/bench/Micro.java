package io.orderbooks.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs the JMH benchmarks (one fork each, short but steady-state settings) and returns their scores. */
final class Micro {
    /** One JMH score: benchmark method, its params, score and error (99.9 %), unit. */
    record Score(String benchmark, String kind, String level, double score, double error, String unit) {}

    private Micro() {}

    static List<Score> run(
            Path corpus, Path work, String include, int warmupSeconds, int measureSeconds, int iterations)
            throws RunnerException {
        Options opts = new OptionsBuilder()
                .include(include)
                .forks(1)
                .warmupIterations(2)
                .warmupTime(TimeValue.seconds(warmupSeconds))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.seconds(measureSeconds))
                .threads(1)
                .shouldFailOnError(true)
                .jvmArgsAppend(
                        "-Xms512m",
                        "-Xmx512m",
                        "-Dbench.corpus=" + corpus.toAbsolutePath(),
                        "-Dbench.work=" + work.toAbsolutePath())
                .build();
        Collection<RunResult> results = new Runner(opts).run();
        List<Score> out = new ArrayList<>();
        for (RunResult r : results) {
            var p = r.getParams();
            String method = p.getBenchmark()
                    .substring(
                            p.getBenchmark().lastIndexOf('.', p.getBenchmark().lastIndexOf('.') - 1) + 1);
            out.add(new Score(
                    method,
                    p.getParam("kind"),
                    p.getParam("level"),
                    r.getPrimaryResult().getScore(),
                    r.getPrimaryResult().getScoreError(),
                    r.getPrimaryResult().getScoreUnit()));
        }
        return out;
    }
}
