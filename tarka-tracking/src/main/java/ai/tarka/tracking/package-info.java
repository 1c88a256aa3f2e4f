/** Experiment tracking: the run store, the MLflow REST API, the dashboard and hyperparameter search. */
package ai.tarka.tracking;
