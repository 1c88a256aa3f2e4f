/** The training loop: YAML configs, schedules, evaluation, checkpoints and exact resumption. */
package ai.tarka.train;
