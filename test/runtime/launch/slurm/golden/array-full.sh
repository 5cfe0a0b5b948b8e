#!/bin/bash
# sweepspec study fmnist, submission 20261202T104512Z-3f9c: one array task per run; task N trains run N of submission.json.
#SBATCH --job-name=sweepspec-fmnist
#SBATCH --array=0-2%4
#SBATCH "--chdir=/home/ana/my study"
#SBATCH --output=/shared/results/fmnist/submissions/20261202T104512Z-3f9c/logs/%A_%a.out
#SBATCH --open-mode=append
#SBATCH --requeue
#SBATCH --signal=B:TERM@120
#SBATCH --cpus-per-task=8
#SBATCH --mem=32G
#SBATCH --gres=gpu:1
#SBATCH --partition=gpu
#SBATCH --time=2:00:00
#SBATCH --account=vision-lab
#SBATCH --qos=normal
#SBATCH --constraint=a100
#SBATCH --mail-type=FAIL
#SBATCH "--comment=two words"

# exec: the runner is the batch shell, so SIGTERM from Slurm reaches it directly.
exec /opt/node20/bin/node /shared/sweepspec/bin/sweepspec.js task /shared/results/fmnist/submissions/20261202T104512Z-3f9c --index "$SLURM_ARRAY_TASK_ID"
