package io.asyncbridge.launcher.simulate;

import io.asyncbridge.simulator.SimulatorApplication;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code bridge simulate}: the upstream simulator alone, for trying a config by hand. */
@Command(
        name = "simulate",
        description = {
            "Runs the upstream simulator alone (Acquia, Cloud Elements, http-lro and google-lro APIs).",
            "Prints its URLs and credentials. Options are the simulator's own; see 'bridge simulate --help'."
        })
public final class SimulateCommand implements Callable<Integer> {

    @Unmatched
    private List<String> arguments = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        SimulatorApplication.main(arguments.toArray(String[]::new));
        return 0;
    }
}
