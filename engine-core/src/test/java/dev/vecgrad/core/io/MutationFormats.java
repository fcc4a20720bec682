package dev.vecgrad.core.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link Mutation} knows of each format: where the header length lives, and edits of the
 * header's meaning that keep it well-formed, so that the checks behind the syntax (overlaps,
 * holes, sizes, overflowing shapes, unsupported dtypes) are reached often.
 */
final class MutationFormats {
    private MutationFormats() {
    }

    private static final long[] HUGE = {0, 1, 2, 3, 4, 8, 255, Integer.MAX_VALUE, 1L << 31, 1L << 32, 1L << 62, Long.MAX_VALUE};
    private static final List<String> ST_DTYPES = List.of("F16", "BF16", "I64", "U32", "F8_E4M3", "F64", "F32", "I32",
            "BOOL", "U8", "X", "f32");
    private static final List<String> NPY_DESCRS = List.of("<f8", ">i4", "|O", "<c8", "|u1", "<i8", ">f2", "<f4", "|b1",
            "<U3", "f4", ">u2");
    private static final List<String> NPY_SHAPES = List.of("()", "(0,)", "(1,)", "(2147483647,)", "(65536, 65536)",
            "(1, 1, 1, 1, 1, 1, 1, 1, 1)", "(3, 2)", "(2, 3)", "(6,)", "(12,)", "(99999999999999999999,)", "(3)",
            "(-1,)", "(4, 0)");

    /** safetensors: u64 little-endian length at 0; semantic edits parse, change and rewrite the JSON header. */
    static final Mutation.Format SAFETENSORS = new Mutation.Format() {
        @Override
        public void adjustLength(byte[] b, int at, int delta) {
            if (b.length >= 8) {
                ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
                long n = bb.getLong(0);
                if (at >= 8 && at - 8 < n + Math.max(0, delta)) {
                    bb.putLong(0, n + delta);
                }
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public byte[] semantic(byte[] b, int value, int choice) {
            if (b.length < 8) {
                return b;
            }
            long n = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            if (n < 2 || n > b.length - 8) {
                return b;
            }
            Map<String, Object> header;
            try {
                header = new LinkedHashMap<>(Json.parseObject(new String(b, 8, (int) n, StandardCharsets.UTF_8)));
            } catch (JsonException e) {
                return b;
            }
            List<String> names = new ArrayList<>(header.keySet());
            names.remove(SafeTensors.METADATA_KEY);
            if (names.isEmpty()) {
                return b;
            }
            String name = names.get(Math.floorMod(value, names.size()));
            if (!(header.get(name) instanceof Map<?, ?> m0)) {
                return b;
            }
            Map<String, Object> entry = new LinkedHashMap<>((Map<String, Object>) m0);
            long huge = HUGE[Math.floorMod(value >> 8, HUGE.length)];
            List<Object> offsets = entry.get("data_offsets") instanceof List<?> l ? new ArrayList<>(l) : null;
            switch (Math.floorMod(choice, 7)) {
                case 0 -> { // shift the whole range
                    if (offsets != null && offsets.size() == 2 && offsets.get(0) instanceof Long lo && offsets.get(1) instanceof Long hi) {
                        long d = (value & 1) == 0 ? huge : -huge;
                        entry.put("data_offsets", List.of(lo + d, hi + d));
                    }
                }
                case 1 -> { // take another tensor's range
                    String other = names.get(Math.floorMod(value >> 4, names.size()));
                    if (header.get(other) instanceof Map<?, ?> o) {
                        entry.put("data_offsets", o.get("data_offsets"));
                    }
                }
                case 2 -> entry.put("shape", switch (Math.floorMod(value >> 4, 5)) {
                    case 0 -> List.of(huge, huge);
                    case 1 -> List.of(huge);
                    case 2 -> List.of(1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L);
                    case 3 -> List.of(-1L);
                    default -> List.of();
                });
                case 3 -> entry.put("dtype", ST_DTYPES.get(Math.floorMod(value >> 4, ST_DTYPES.size())));
                case 4 -> { // move one end
                    if (offsets != null && offsets.size() == 2 && offsets.get(1) instanceof Long hi) {
                        // Arrays.asList, not List.of: an earlier edit may have made the first offset a JSON null
                        entry.put("data_offsets", Arrays.asList(offsets.get(0), (value & 1) == 0 ? hi + huge : hi - huge));
                    }
                }
                case 5 -> header.remove(name);
                default -> header.put(SafeTensors.METADATA_KEY, (value & 1) == 0 ? Map.of("k", 1L) : Map.of("k", "v"));
            }
            if (header.containsKey(name)) {
                header.put(name, entry);
            }
            byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
            ByteBuffer out = ByteBuffer.allocate(8 + json.length + b.length - 8 - (int) n).order(ByteOrder.LITTLE_ENDIAN);
            out.putLong(json.length).put(json).put(b, 8 + (int) n, b.length - 8 - (int) n);
            return out.array();
        }
    };

    /** .npy: u16 (version 1) or u32 (versions 2, 3) little-endian length at 8; semantic edits rewrite the dict. */
    static final Mutation.Format NPY = new Mutation.Format() {
        @Override
        public void adjustLength(byte[] b, int at, int delta) {
            if (b.length >= 12) {
                ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
                if (b[6] == 1) {
                    bb.putShort(8, (short) ((bb.getShort(8) & 0xffff) + delta));
                } else {
                    bb.putInt(8, bb.getInt(8) + delta);
                }
            }
        }

        @Override
        public byte[] semantic(byte[] b, int value, int choice) {
            if (b.length < 12 || b[6] != 1) {
                return b;
            }
            int n = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getShort(8) & 0xffff;
            if (10 + n > b.length) {
                return b;
            }
            String header = new String(b, 10, n, StandardCharsets.ISO_8859_1);
            String changed = switch (Math.floorMod(choice, 4)) {
                case 0 -> header.replaceFirst("\\([^)]*\\)", NPY_SHAPES.get(Math.floorMod(value, NPY_SHAPES.size())));
                case 1 -> header.replaceFirst("'descr': '[^']*'", "'descr': '" + NPY_DESCRS.get(Math.floorMod(value, NPY_DESCRS.size())) + "'");
                case 2 -> header.replace("False", "True");
                default -> header.replaceFirst("'shape'", (value & 1) == 0 ? "'shape', 'shape'" : "'shapes'");
            };
            byte[] h = changed.getBytes(StandardCharsets.ISO_8859_1);
            ByteBuffer out = ByteBuffer.allocate(10 + h.length + b.length - 10 - n).order(ByteOrder.LITTLE_ENDIAN);
            out.put(b, 0, 8).putShort((short) h.length).put(h).put(b, 10 + n, b.length - 10 - n);
            return out.array();
        }
    };

    /** IDX: semantic edits set a type code, a number of dimensions or one dimension (big-endian, aligned). */
    static final Mutation.Format IDX = new Mutation.Format() {
        @Override
        public byte[] semantic(byte[] b, int value, int choice) {
            if (b.length < 8 || b[0] == 0x1f) {
                return b; // gzip: the header is inside the compressed stream
            }
            byte[] out = b.clone();
            switch (Math.floorMod(choice, 3)) {
                case 0 -> out[2] = (byte) new int[] {0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E, 0x0A, 0xff}[Math.floorMod(value, 8)];
                case 1 -> out[3] = (byte) Math.floorMod(value, 11);
                default -> {
                    int dims = Math.max(1, Math.min(out[3] & 0xff, (out.length - 4) / 4));
                    int at = 4 + 4 * Math.floorMod(value, dims);
                    ByteBuffer.wrap(out).putInt(at, (int) HUGE[Math.floorMod(value >> 4, HUGE.length)]);
                }
            }
            return out;
        }
    };
}
