package io.asyncbridge.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallbacksApplicationTest {

  @Test
  void readsConfigAndStateDirFromArgumentsOrEnvironment() {
    var options = CallbacksApplication.Options.parse(new String[] {"--config", "conf/b.yaml", "--state-dir=/var/bridge"},
        Map.of());
    assertThat(options.config()).isEqualTo(Path.of("conf/b.yaml"));
    assertThat(options.stateDir()).isEqualTo(Path.of("/var/bridge/callbacks"));

    var defaults = CallbacksApplication.Options.parse(new String[0], Map.of("BRIDGE_STATE_DIR", "/data"));
    assertThat(defaults.config()).isEqualTo(Path.of("bridge.yaml"));
    assertThat(defaults.stateDir()).isEqualTo(Path.of("/data/callbacks"));
  }

  @Test
  void unknownArgumentsAreRefusedWithUsage() {
    assertThatThrownBy(() -> CallbacksApplication.Options.parse(new String[] {"--port", "1"}, Map.of()))
        .hasMessageContaining("usage");
  }
}
