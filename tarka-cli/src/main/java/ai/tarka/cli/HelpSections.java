package ai.tarka.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * Replaces picocli's flat command list with one grouped by lifecycle stage. Each subcommand names
 * its stage through {@link StagedCommand}; a stage with no commands is not shown.
 */
final class HelpSections {
    private HelpSections() {}

    static final String KEY = "tarkaStages";

    static List<String> keys(CommandLine cl) {
        List<String> keys = new ArrayList<>(cl.getHelpSectionKeys());
        int i = keys.indexOf(UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING);
        keys.remove(UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING);
        keys.remove(UsageMessageSpec.SECTION_KEY_COMMAND_LIST);
        keys.add(i < 0 ? keys.size() : i, KEY);
        return keys;
    }

    /** Only on the root command: subcommands keep picocli's usual command list. */
    static void install(CommandLine cl) {
        UsageMessageSpec usage = cl.getCommandSpec().usageMessage();
        usage.sectionKeys(keys(cl));
        usage.sectionMap().put(KEY, help -> render(cl, help));
    }

    private static String render(CommandLine cl, Help help) {
        Map<Stage, List<CommandLine>> byStage = new LinkedHashMap<>();
        for (Stage s : Stage.values()) byStage.put(s, new ArrayList<>());
        for (CommandLine sub : cl.getSubcommands().values()) {
            Object o = sub.getCommand();
            Stage s = o instanceof StagedCommand st ? st.stage() : Stage.SYSTEM;
            if (!byStage.get(s).contains(sub)) byStage.get(s).add(sub);
        }
        StringBuilder sb = new StringBuilder();
        for (var e : byStage.entrySet()) {
            if (e.getValue().isEmpty()) continue;
            sb.append('\n').append(e.getKey().title).append(":\n");
            for (CommandLine sub : e.getValue()) {
                String[] desc = sub.getCommandSpec().usageMessage().description();
                sb.append(String.format("  %-14s %s%n", sub.getCommandName(), desc.length > 0 ? desc[0] : ""));
            }
        }
        return sb.toString();
    }
}
