package io.warden.jepsen.report;

import java.awt.Color;
import java.util.Map;

/** The colours of the report: one per completion type and one per kind of fault (Jepsen's, mostly). */
final class Palette {
    private Palette() {}

    static final Map<String, Color> TYPES = Map.of(
            "ok", new Color(0x6D, 0xB6, 0xFE),
            "fail", new Color(0xFE, 0xB5, 0xDA),
            "info", new Color(0xFF, 0xAA, 0x26),
            "pending", new Color(0xBB, 0xBB, 0xBB));

    static final Map<String, Color> FAULTS = Map.of(
            "partition", new Color(0xE0, 0x4F, 0x4F),
            "kill", new Color(0x8E, 0x44, 0xAD),
            "pause", new Color(0x27, 0xAE, 0x60),
            "clock", new Color(0xD3, 0x8B, 0x00));

    static Color fault(String kind) {
        return FAULTS.getOrDefault(kind, Color.GRAY);
    }

    static String css(Color c) {
        return String.format("#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
    }
}
