#!/bin/bash
# sweepspec study fmnist, submission 20261202T104512Z-3f9c: one array task per run; task N trains run N of submission.json.
#SBATCH --job-name=sweepspec-fmnist
#SBATCH --array=0-21
#SBATCH --chdir=/shared/project
#SBATCH --output=/shared/results/fmnist/submissions/20261202T104512Z-3f9c/logs/%A_%a.out
#SBATCH --open-mode=append
#SBATCH --requeue
#SBATCH --signal=B:TERM@120
#SBATCH --cpus-per-task=1

# exec: the runner is the batch shell, so SIGTERM from Slurm reaches it directly.
exec /opt/node20/bin/node /shared/sweepspec/bin/sweepspec.js task /shared/results/fmnist/submissions/20261202T104512Z-3f9c --index "$SLURM_ARRAY_TASK_ID"
