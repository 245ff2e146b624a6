package io.asyncbridge.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceLauncherTest {

  @Test
  void readsConfigAndStateDirFromArgumentsOrEnvironment() {
    var options = ServiceLauncher.Arguments.parse(new String[] {"--config", "conf/b.yaml", "--state-dir=/var/bridge"},
        Map.of());
    assertThat(options.config()).isEqualTo(Path.of("conf/b.yaml"));
    assertThat(options.stateDir()).isEqualTo(Path.of("/var/bridge"));

    var defaults = ServiceLauncher.Arguments.parse(new String[0], Map.of("BRIDGE_STATE_DIR", "/data"));
    assertThat(defaults.config()).isEqualTo(Path.of("bridge.yaml"));
    assertThat(defaults.stateDir()).isEqualTo(Path.of("/data"));
  }

  @Test
  void unknownArgumentsAreRefusedWithUsage() {
    assertThatThrownBy(() -> ServiceLauncher.Arguments.parse(new String[] {"--port", "1"}, Map.of()))
        .hasMessageContaining("unknown argument '--port'").hasMessageContaining("usage");
    assertThatThrownBy(() -> ServiceLauncher.Arguments.parse(new String[] {"--config"}, Map.of()))
        .hasMessageContaining("--config needs a value");
  }

  @Test
  void aBrokenConfigIsAUsageErrorAndNothingStarts(@TempDir Path dir) throws Exception {
    Path config = Files.writeString(dir.resolve("bridge.yaml"), "providers:\n  x:\n    type: nope\n");

    int status = ServiceLauncher.run(new String[] {"--config", config.toString()}, Map.of(), context -> {
      throw new AssertionError("no service may be built from a broken config");
    });

    assertThat(status).isEqualTo(ServiceLauncher.EXIT_USAGE);
  }

  @Test
  void aMissingConfigFileIsAUsageError(@TempDir Path dir) {
    assertThat(ServiceLauncher.run(new String[] {"--config", dir.resolve("absent.yaml").toString()}, Map.of(),
        context -> List.of())).isEqualTo(ServiceLauncher.EXIT_USAGE);
  }
}
