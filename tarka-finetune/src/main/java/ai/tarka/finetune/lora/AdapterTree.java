package ai.tarka.finetune.lora;

import ai.tarka.nn.Module;

/** A module that only groups children, used to hang adapters under their base modules' dotted paths. */
final class AdapterTree extends Module {

    /** Registers {@code module} at the dotted {@code path} below this node, creating intermediate nodes. */
    void put(String path, Module module) {
        int dot = path.indexOf('.');
        if (dot < 0) {
            registerModule(path, module);
            return;
        }
        String head = path.substring(0, dot);
        Module child = namedChildren().get(head);
        if (child == null) child = registerModule(head, new AdapterTree());
        ((AdapterTree) child).put(path.substring(dot + 1), module);
    }

    /** Registers an existing parameter at the dotted {@code path} below this node, creating intermediate nodes. */
    void putParameter(String path, ai.tarka.nn.Parameter parameter) {
        int dot = path.indexOf('.');
        if (dot < 0) {
            registerParameter(path, parameter);
            return;
        }
        String head = path.substring(0, dot);
        Module child = namedChildren().get(head);
        if (child == null) child = registerModule(head, new AdapterTree());
        ((AdapterTree) child).putParameter(path.substring(dot + 1), parameter);
    }

    /** Holds a module under one name (so a base model's parameters read {@code base_model.model.*}). */
    static AdapterTree holding(String name, Module module) {
        AdapterTree t = new AdapterTree();
        t.registerModule(name, module);
        return t;
    }
}
