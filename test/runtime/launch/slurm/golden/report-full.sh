#!/bin/bash
# sweepspec study fmnist, submission 20261202T104512Z-3f9c: writes the HTML report once the array has ended, however it ended.
#SBATCH --job-name=sweepspec-fmnist-report
#SBATCH --dependency=afterany:4242
#SBATCH "--chdir=/home/ana/my study"
#SBATCH --output=/shared/results/fmnist/submissions/20261202T104512Z-3f9c/logs/report-%j.out
#SBATCH --cpus-per-task=1
#SBATCH --mem=32G
#SBATCH --partition=gpu
#SBATCH --time=2:00:00
#SBATCH --account=vision-lab
#SBATCH --qos=normal

exec /opt/node20/bin/node /shared/sweepspec/bin/sweepspec.js task /shared/results/fmnist/submissions/20261202T104512Z-3f9c --report
