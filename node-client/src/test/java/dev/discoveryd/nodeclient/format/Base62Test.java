package dev.discoveryd.nodeclient.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.discoveryd.nodeclient.TestVectors;
import java.security.SecureRandom;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Base62Test {
    @Test
    void everyVectorEncodesAndDecodes() {
        JsonNode vectors = TestVectors.root().get("base62");
        assertThat(vectors.size()).isEqualTo(8);
        for (JsonNode v : vectors) {
            byte[] bytes = TestVectors.hex(v.get("bytes"));
            String text = v.get("text").asText();
            assertThat(Base62.encode(bytes)).as("encode %s", v.get("bytes")).isEqualTo(text);
            assertThat(Base62.decode(text)).as("decode %s", text).isEqualTo(bytes);
        }
    }

    @Test
    void randomIdsRoundTripAndHaveTalosLength() {
        Random random = new Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            bytes[0] |= 1; // keep the top byte non-zero so the decoded length is 32
            String text = Base62.encode(bytes);
            assertThat(text.length()).isBetween(43, 52);
            assertThat(Base62.decode(text)).isEqualTo(bytes);
        }
    }

    @Test
    void generatedNodeIdsAreCompactBase62Of32Bytes() {
        String id = NodeId.generate(new SecureRandom());
        assertThat(id).matches("[A-Za-z0-9]{43,52}");
        assertThat(Base62.decode(id).length).isLessThanOrEqualTo(32);
        assertThat(NodeId.generate()).isNotEqualTo(id);
    }

    @Test
    void rejectsForeignCharacters() {
        assertThatThrownBy(() -> Base62.decode("abc-")).isInstanceOf(IllegalArgumentException.class);
    }
}
