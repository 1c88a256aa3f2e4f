package ai.tarka.nn.layers;

import ai.tarka.nn.Module;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** An indexed list of child modules (for example the transformer blocks), named {@code 0, 1, 2, ...}. */
public final class ModuleList<M extends Module> extends Module implements Iterable<M> {
    private final List<M> modules = new ArrayList<>();

    public ModuleList() {}

    public ModuleList(List<? extends M> items) {
        for (M m : items) add(m);
    }

    public ModuleList<M> add(M module) {
        modules.add(registerModule(String.valueOf(modules.size()), module));
        return this;
    }

    public M get(int i) {
        if (i < 0 || i >= modules.size()) {
            throw new IndexOutOfBoundsException("ModuleList: index " + i + " outside [0, " + modules.size() + ")");
        }
        return modules.get(i);
    }

    public int size() {
        return modules.size();
    }

    @Override
    public Iterator<M> iterator() {
        return List.copyOf(modules).iterator();
    }
}
