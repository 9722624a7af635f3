package dev.discoveryd.api;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import dev.discoveryd.api.node.NodeAffiliateProto;
import dev.discoveryd.api.server.DiscoveryWireProto;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our .proto files against the spec's, compiled by the same protoc: everything that reaches the wire (package,
 * service, methods, messages, field names, numbers, types, labels, optional markers) must be identical. Only
 * Java-specific options may differ.
 */
class DescriptorContractTest {

    @Test
    void discoveryWireMatchesTheSpec() throws Exception {
        assertThat(wireShape(DiscoveryWireProto.getDescriptor().toProto()))
                .isEqualTo(wireShape(spec("discovery_wire.proto")));
    }

    @Test
    void nodeAffiliateMatchesTheSpec() throws Exception {
        assertThat(wireShape(NodeAffiliateProto.getDescriptor().toProto()))
                .isEqualTo(wireShape(spec("node_affiliate.proto")));
    }

    @Test
    void theComparisonNoticesAChangedFieldNumber() throws Exception {
        FileDescriptorProto spec = spec("discovery_wire.proto");
        FileDescriptorProto.Builder changed = spec.toBuilder();
        DescriptorProto.Builder msg = changed.getMessageTypeBuilder(0);
        msg.getFieldBuilder(0).setNumber(99);
        assertThat(wireShape(changed.build())).isNotEqualTo(wireShape(spec));
    }

    private static FileDescriptorProto spec(String name) throws Exception {
        Path set = Path.of("target/generated-test-resources/protobuf/descriptor-sets/spec.desc");
        try (InputStream in = Files.newInputStream(set)) {
            for (FileDescriptorProto f : FileDescriptorSet.parseFrom(in).getFileList()) {
                if (f.getName().equals(name)) {
                    return f;
                }
            }
        }
        throw new AssertionError(name + " not in " + set);
    }

    /** A printable, option-free form of everything that affects the wire. */
    private static List<String> wireShape(FileDescriptorProto file) {
        List<String> out = new ArrayList<>();
        out.add("package " + file.getPackage() + " syntax " + file.getSyntax());
        out.add("deps " + file.getDependencyList());
        for (DescriptorProto m : file.getMessageTypeList()) {
            out.add("message " + m.getName() + " oneofs " + m.getOneofDeclCount());
            for (FieldDescriptorProto f : m.getFieldList()) {
                out.add("  " + f.getNumber() + " " + f.getName() + " " + f.getLabel() + " " + f.getType() + " "
                        + f.getTypeName() + " optional=" + f.getProto3Optional() + " oneof=" + f.hasOneofIndex());
            }
        }
        for (ServiceDescriptorProto s : file.getServiceList()) {
            out.add("service " + s.getName());
            for (MethodDescriptorProto method : s.getMethodList()) {
                out.add("  rpc " + method.getName() + "(" + method.getInputType() + ") -> " + method.getOutputType()
                        + " clientStreaming=" + method.getClientStreaming() + " serverStreaming=" + method.getServerStreaming());
            }
        }
        return out;
    }
}
