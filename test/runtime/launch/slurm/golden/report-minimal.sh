#!/bin/bash
# sweepspec study fmnist, submission 20261202T104512Z-3f9c: writes the HTML report once the array has ended, however it ended.
#SBATCH --job-name=sweepspec-fmnist-report
#SBATCH --dependency=afterany:4242
#SBATCH --chdir=/shared/project
#SBATCH --output=/shared/results/fmnist/submissions/20261202T104512Z-3f9c/logs/report-%j.out
#SBATCH --cpus-per-task=1

exec /opt/node20/bin/node /shared/sweepspec/bin/sweepspec.js task /shared/results/fmnist/submissions/20261202T104512Z-3f9c --report
