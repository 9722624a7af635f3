package dev.discoveryd.service.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ByteSizeTest {
    @Test
    void parsesBytesAndBinaryAndDecimalUnits() {
        assertThat(ByteSize.parse("0")).isZero();
        assertThat(ByteSize.parse("4096")).isEqualTo(4096);
        assertThat(ByteSize.parse("512KiB")).isEqualTo(512 * 1024);
        assertThat(ByteSize.parse("128MiB")).isEqualTo(128L * 1024 * 1024);
        assertThat(ByteSize.parse("2GiB")).isEqualTo(2L << 30);
        assertThat(ByteSize.parse("1MB")).isEqualTo(1_000_000);
        assertThat(ByteSize.parse(" 64 MiB ")).isEqualTo(64L << 20);
    }

    @Test
    void rejectsWhatIsNotASize() {
        for (String bad : new String[]{"", "-1", "12 apples", "1.5GiB", "MiB", "99999999999TiB"}) {
            assertThatThrownBy(() -> ByteSize.parse(bad)).as(bad).isInstanceOf(RuntimeException.class);
        }
    }
}
