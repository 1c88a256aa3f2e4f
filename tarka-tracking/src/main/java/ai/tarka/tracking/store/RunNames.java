package ai.tarka.tracking.store;

/** Readable default run names (adjective-noun-number) derived from the run id, as MLflow gives unnamed runs. */
final class RunNames {
    private static final String[] ADJECTIVES = {"amber", "brisk", "calm", "deft", "eager", "fleet", "gentle", "hardy",
            "keen", "lucid", "mellow", "nimble", "proud", "quiet", "rapid", "sly", "tidy", "vivid", "wise", "zesty"};
    private static final String[] NOUNS = {"heron", "otter", "lynx", "finch", "ibex", "koala", "marten", "newt",
            "osprey", "panda", "quail", "raven", "stoat", "tapir", "vole", "wren", "yak", "zebra", "bison", "crane"};

    private RunNames() {
    }

    static String generate(String runId) {
        int h = runId.hashCode();
        return ADJECTIVES[Math.floorMod(h, ADJECTIVES.length)] + "-" + NOUNS[Math.floorMod(h >>> 8, NOUNS.length)]
                + "-" + Math.floorMod(h >>> 16, 1000);
    }
}
